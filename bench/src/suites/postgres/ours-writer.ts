/**
 * Our side, inside a writer process: the simulation's commands for this writer's cases, sent one
 * after another through the real command handler (trusted: no principal, as the simulation and
 * the scheduler send them) on storage opened from a URL, as an application process would.
 */
import { openStorage } from '@misas/adapters';
import { CaseCommandHandler, CommandRejectedError, seededUlidGenerator, VirtualClock } from '@misas/core';
import type { OursJob, WriterReport } from './protocol.ts';
import { clockStart, commandsOf } from './workload.ts';

/** A job that is connected and planned, waiting for the start. */
export interface PreparedJob {
  /** Runs the timed part, then releases what the job holds. */
  run(): Promise<WriterReport>;
  /** Releases what the job holds without running it. */
  abandon(): Promise<void>;
}

/** Opens the storage and writes the plan (untimed); `run` sends the commands. */
export async function prepareOurs(job: OursJob): Promise<PreparedJob> {
  const commands = commandsOf(job.shape, job.writer);
  const storage = await openStorage(job.url);
  const clock = new VirtualClock(clockStart);
  // A seed per writer: the writers' ULIDs share instants (one virtual year each), not random bits.
  const handler = new CaseCommandHandler({ store: storage.events, vault: storage.vault, clock, ids: seededUlidGenerator(job.shape.seed * 100 + job.writer + 1, clock) });
  return {
    run: async () => {
      try {
        let transactions = 0;
        let events = 0;
        let rejected = 0;
        const stopped = new Set<string>();
        for (const planned of commands) {
          if (stopped.has(planned.caseId)) continue;
          clock.set(new Date(planned.at));
          try {
            const result = await handler.execute(planned.command);
            if (result.outcome === 'applied') {
              transactions++;
              events += result.events.length;
            }
          } catch (error) {
            if (!(error instanceof CommandRejectedError)) throw error;
            // As in the simulation: the case is not where its script thinks, so its later steps
            // would be refused too.
            rejected++;
            stopped.add(planned.caseId);
          }
        }
        return { transactions, events, rejected };
      } finally {
        await storage.close();
      }
    },
    abandon: () => storage.close(),
  };
}
