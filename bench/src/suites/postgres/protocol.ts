/**
 * The messages between the suite and its writer processes (Node's IPC channel, JSON). Both ends
 * check what they receive: a message is `unknown` until a guard here says otherwise.
 */
import type { WorkloadShape } from './workload.ts';

/** Our side: play writer `writer`'s share of the cases through the command handler. */
export interface OursJob {
  readonly side: 'ours';
  /** The server URL with `?schema=`, as `openStorage` takes it. */
  readonly url: string;
  readonly shape: WorkloadShape;
  readonly writer: number;
}

/** The limit: insert, raw, the rows our side wrote for the same share, into another schema. */
export interface LimitJob {
  readonly side: 'limit';
  /** The server URL, without a schema: tables are named with theirs. */
  readonly serverUrl: string;
  /** Where our side wrote the rows (read before the start, untimed). */
  readonly sourceSchema: string;
  /** A fresh schema made by the same migrations, where the rows are inserted. */
  readonly targetSchema: string;
  readonly shape: WorkloadShape;
  readonly writer: number;
}

export type WriterJob = OursJob | LimitJob;

/** The suite to a writer: get ready for a job (connect, load, plan), start it, or leave. */
export type ToWriter = { readonly kind: 'prepare'; readonly job: WriterJob } | { readonly kind: 'go' } | { readonly kind: 'exit' };

/** What a writer did in one job. */
export interface WriterReport {
  /** Commands applied (ours) or transactions committed (limit). */
  readonly transactions: number;
  readonly events: number;
  /** Commands the library refused (ours only; a case's later steps are then skipped). */
  readonly rejected: number;
}

/** A writer to the suite. */
export type FromWriter =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly report: WriterReport }
  | { readonly kind: 'failed'; readonly message: string };

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isShape(value: unknown): value is WorkloadShape {
  return isRecord(value) && isCount(value['cases']) && isCount(value['writers']) && isCount(value['seed']);
}

function isJob(value: unknown): value is WriterJob {
  if (!isRecord(value) || !isShape(value['shape']) || !isCount(value['writer'])) return false;
  if (value['side'] === 'ours') return typeof value['url'] === 'string';
  return (
    value['side'] === 'limit' &&
    typeof value['serverUrl'] === 'string' &&
    typeof value['sourceSchema'] === 'string' &&
    typeof value['targetSchema'] === 'string'
  );
}

/** Whether a message is one the suite sends. */
export function isToWriter(value: unknown): value is ToWriter {
  if (!isRecord(value)) return false;
  return value['kind'] === 'go' || value['kind'] === 'exit' || (value['kind'] === 'prepare' && isJob(value['job']));
}

function isReport(value: unknown): value is WriterReport {
  return isRecord(value) && isCount(value['transactions']) && isCount(value['events']) && isCount(value['rejected']);
}

/** Whether a message is one a writer sends. */
export function isFromWriter(value: unknown): value is FromWriter {
  if (!isRecord(value)) return false;
  return (
    value['kind'] === 'ready' ||
    (value['kind'] === 'done' && isReport(value['report'])) ||
    (value['kind'] === 'failed' && typeof value['message'] === 'string')
  );
}
