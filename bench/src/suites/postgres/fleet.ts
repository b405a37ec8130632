/**
 * The writer processes of one figure, started once and reused for every run of both sides, so
 * that process start-up, module loading and the JIT's warm-up stay outside the measurements.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isFromWriter, type FromWriter, type ToWriter, type WriterJob, type WriterReport } from './protocol.ts';

const writerScript = fileURLToPath(new URL('./writer-process.ts', import.meta.url));

/** One run of every writer: the wall time from the start signal to the last writer done. */
export interface FleetRun {
  readonly ms: number;
  readonly reports: readonly WriterReport[];
}

/** The next message of `child`, once checked; rejects if the writer failed or exited first. */
function nextMessage(child: ChildProcess, writer: number): Promise<Exclude<FromWriter, { kind: 'failed' }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      cleanUp();
      if (!isFromWriter(message)) reject(new Error(`writer ${writer} sent an unexpected message: ${JSON.stringify(message)}`));
      else if (message.kind === 'failed') reject(new Error(`writer ${writer} failed: ${message.message}`));
      else resolve(message);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanUp();
      reject(new Error(`writer ${writer} exited (${signal ?? code}) before answering`));
    };
    const cleanUp = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function ready(child: ChildProcess, writer: number): Promise<void> {
  const message = await nextMessage(child, writer);
  if (message.kind !== 'ready') throw new Error(`writer ${writer} sent '${message.kind}', expected 'ready'`);
}

async function done(child: ChildProcess, writer: number): Promise<WriterReport> {
  const message = await nextMessage(child, writer);
  if (message.kind !== 'done') throw new Error(`writer ${writer} sent '${message.kind}', expected 'done'`);
  return message.report;
}

function tell(child: ChildProcess, message: ToWriter): void {
  child.send(message);
}

/** A fixed number of writer processes. */
export class WriterFleet {
  readonly #children: readonly ChildProcess[];

  private constructor(children: readonly ChildProcess[]) {
    this.#children = children;
  }

  /** Starts `size` writer processes (Node with the workspace's source condition, as `pnpm bench` runs). */
  static start(size: number): WriterFleet {
    const children = Array.from({ length: size }, () =>
      fork(writerScript, [], { execPath: process.execPath, execArgv: ['--conditions=@misas/source'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
    return new WriterFleet(children);
  }

  get size(): number {
    return this.#children.length;
  }

  /**
   * Gives writer `i` the job `jobs[i]`, waits until every writer is prepared, then starts them
   * together and waits for all to finish. Only that second part is timed.
   */
  async run(jobs: readonly WriterJob[]): Promise<FleetRun> {
    if (jobs.length !== this.#children.length) throw new RangeError(`${jobs.length} jobs for ${this.#children.length} writers`);
    const prepared = this.#children.map((child, i) => ready(child, i));
    this.#children.forEach((child, i) => {
      const job = jobs[i];
      if (job) tell(child, { kind: 'prepare', job });
    });
    await Promise.all(prepared);
    const finishing = this.#children.map((child, i) => done(child, i));
    const started = performance.now();
    for (const child of this.#children) tell(child, { kind: 'go' });
    const reports = await Promise.all(finishing);
    const ms = performance.now() - started;
    return { ms, reports };
  }

  /** Asks every writer to leave, and kills those still there after a few seconds. */
  async close(): Promise<void> {
    await Promise.all(
      this.#children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            if (child.connected) tell(child, { kind: 'exit' });
            else child.kill();
          }),
      ),
    );
  }
}
