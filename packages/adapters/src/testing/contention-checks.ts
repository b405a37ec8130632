/**
 * The contention check: many OS processes writing to ONE case through command handlers with their
 * default settings. It counts what the handlers let through (a `ConcurrencyError` after the last
 * attempt, a `SqliteBusyError`…) and checks that every accepted command's events are in the stream
 * exactly once, so that SQLite and PostgreSQL are held to the same standard.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EventMetadata } from '@misas/core';
import { openStorage } from '../open-storage.ts';

/** The last line a worker prints. */
interface WorkerReport {
  readonly worker: string;
  readonly accepted: readonly string[];
  readonly failures: Readonly<Record<string, number>>;
}

/** Checks a worker's line field by field (the adapters have no zod). */
function workerReportOf(line: string): WorkerReport {
  const value: unknown = JSON.parse(line);
  if (typeof value !== 'object' || value === null) throw new Error(`not a worker report: ${line}`);
  const { worker, accepted, failures } = value as Record<string, unknown>;
  const ok =
    typeof worker === 'string' &&
    Array.isArray(accepted) &&
    accepted.every((id) => typeof id === 'string') &&
    typeof failures === 'object' &&
    failures !== null &&
    Object.values(failures).every((count) => typeof count === 'number');
  if (!ok) throw new Error(`not a worker report: ${line}`);
  return { worker, accepted, failures: failures as Record<string, number> };
}

/** What a contention run measured. */
export interface ContentionReport {
  /** Errors the handlers let through, by code (`concurrency-conflict`, `storage-busy`…). */
  readonly failures: Readonly<Record<string, number>>;
  /** Commands the handlers acknowledged (applied or duplicate), the opening one counted once per worker. */
  readonly accepted: number;
  /** Events in the case's stream. */
  readonly events: number;
  /** Accepted command ids whose events are not in the stream exactly once (must be empty). */
  readonly lost: readonly string[];
  /** Command ids in the stream that no worker was told were accepted (must be empty). */
  readonly unacknowledged: readonly string[];
  /** From the first spawn to the last exit, in milliseconds. */
  readonly elapsedMs: number;
}

function runWorker(url: string, worker: string, commands: number, caseId: string): Promise<WorkerReport> {
  const script = fileURLToPath(new URL('./contention-worker.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@misas/source', script, url, worker, String(commands), caseId], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`contention worker ${worker} exited ${code}: ${err}`));
      resolve(workerReportOf(out.trim().split('\n').pop() ?? '{}'));
    });
  });
}

/** Runs `workers` processes of `commands` commands each against one case of `url`, then reads the stream back. */
export async function contendWithProcesses(url: string, options: { readonly workers: number; readonly commands: number }): Promise<ContentionReport> {
  const caseId = 'contended';
  const started = performance.now();
  const reports = await Promise.all(Array.from({ length: options.workers }, (_, w) => runWorker(url, `w${w}`, options.commands, caseId)));
  const elapsedMs = performance.now() - started;

  const failures: Record<string, number> = {};
  for (const report of reports) for (const [code, count] of Object.entries(report.failures)) failures[code] = (failures[code] ?? 0) + count;
  const accepted = new Set(reports.flatMap((report) => report.accepted));

  const storage = await openStorage(url);
  try {
    const stream = await storage.events.readStream(caseId);
    const perCommand = new Map<string, number>();
    for (const event of stream) {
      const { commandId } = EventMetadata.parse(event.meta);
      perCommand.set(commandId, (perCommand.get(commandId) ?? 0) + 1);
    }
    // A LogTime records one event; the opening ReceiveReferral records its own few, once.
    const opening = stream.filter((event) => EventMetadata.parse(event.meta).commandId === 'open').length;
    const lost = [...accepted].filter((id) => perCommand.get(id) !== (id === 'open' ? Math.max(opening, 1) : 1));
    const unacknowledged = [...perCommand.keys()].filter((id) => !accepted.has(id));
    return { failures, accepted: reports.reduce((sum, report) => sum + report.accepted.length, 0), events: stream.length, lost, unacknowledged, elapsedMs };
  } finally {
    await storage.close();
  }
}
