/**
 * The funds one thread plays, one after the other, each in a store of its own, and the messages it
 * sends back. The same code runs in a worker thread (`fund-worker.ts`) and, with one worker, on the
 * main thread: what a fund gives never depends on where it was played.
 */
import { z } from 'zod';
import type { MisasStorage } from '@misas/core';
import { CaseRegisterRow } from '@misas/projections';
import { ExitCode } from '../cli-output.ts';
import { classifyFailure } from '../failure.ts';
import { withStorage } from '../storage.ts';
import { Calibration } from './calibration.ts';
import type { SimulationProgress } from './progress.ts';
import { simulateStore, type StoreOutcome } from './runner.ts';
import { SimulationStoreError } from './store-guard.ts';

/** One fund to play: its cases, its seed, its store. */
export const FundTask = z.strictObject({
  fundId: z.string().min(1),
  seed: z.number().int().min(0),
  cases: z.number().int().min(1),
  url: z.string().min(1),
});
export type FundTask = z.infer<typeof FundTask>;

/** What a thread is given: its funds, and the run they belong to. */
export const FundsTask = z.strictObject({
  funds: z.array(FundTask),
  from: z.string(),
  to: z.string(),
  seed: z.number().int().min(0),
  until: z.string().optional(),
  calibration: Calibration,
  groupCommit: z.boolean().optional(),
});
export type FundsTask = z.infer<typeof FundsTask>;

const Counts = z.object({
  commands: z.number(),
  rejected: z.number(),
  reminders: z.number(),
  unreachableClosures: z.number(),
  erasures: z.number(),
  dropped: z.number(),
});

/** A fund's outcome as it crosses threads: checked on arrival like any input. */
const Outcome = z.object({
  referrals: z.number(),
  byPath: z.object({
    'redirected-on-form': z.number(),
    'redirected-at-triage': z.number(),
    declined: z.number(),
    unreachable: z.number(),
    'consent-refused': z.number(),
    accompanied: z.number(),
  }),
  counts: Counts,
  rejections: z.array(z.object({ caseId: z.string(), command: z.string(), rule: z.string(), state: z.string() })),
  until: z.string(),
  playMs: z.number(),
  fillMs: z.number(),
  peakQueuedSteps: z.number(),
  peakCasesInFlight: z.number(),
  rows: z.array(CaseRegisterRow),
});

/** A message from the thread that plays funds. */
export const FundMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), fundId: z.string(), phase: z.enum(['plan', 'play', 'project']), done: z.number() }),
  z.object({ type: z.literal('outcome'), fundId: z.string(), outcome: Outcome }),
  z.object({ type: z.literal('warning'), text: z.string() }),
  z.object({ type: z.literal('failed'), message: z.string(), exitCode: z.union(Object.values(ExitCode).map((code) => z.literal(code))), storeRule: z.enum(['foreign-cases', 'previous-simulation']).optional() }),
]);
export type FundMessage = z.infer<typeof FundMessage>;

/** Plays the funds of `task` in order, each in its own store; tells `post` how it goes. */
export async function playFunds(task: FundsTask, post: (message: FundMessage) => void): Promise<void> {
  // Progress crosses threads at most every 100 ms, and at the end of each phase: each message is a copy.
  let lastProgress = 0;
  const progressOf = (fundId: string) => (progress: SimulationProgress) => {
    const now = performance.now();
    if (progress.done !== progress.total && now - lastProgress < 100) return;
    lastProgress = now;
    post({ type: 'progress', fundId, phase: progress.phase, done: progress.done });
  };
  for (const fund of task.funds) {
    const run = (storage: MisasStorage): Promise<StoreOutcome> =>
      simulateStore(
        {
          storage,
          cases: fund.cases,
          from: task.from,
          to: task.to,
          seed: task.seed,
          calibration: task.calibration,
          fund: { fundId: fund.fundId, seed: fund.seed },
          ...(task.until === undefined ? {} : { until: task.until }),
          ...(task.groupCommit === undefined ? {} : { groupCommit: task.groupCommit }),
        },
        { onProgress: progressOf(fund.fundId) },
      );
    const outcome = await withStorage(fund.url, run, { onWarning: (text) => post({ type: 'warning', text }) });
    post({ type: 'outcome', fundId: fund.fundId, outcome: { ...outcome, rejections: [...outcome.rejections], rows: [...outcome.rows] } });
  }
}

/** The message of a failure, with what the main thread needs to fail the same way. */
export function failureMessage(error: unknown): FundMessage {
  const { exitCode, message } = classifyFailure(error);
  return { type: 'failed', message, exitCode, ...(error instanceof SimulationStoreError ? { storeRule: error.rule } : {}) };
}
