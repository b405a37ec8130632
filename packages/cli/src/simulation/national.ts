/**
 * `simulateNational`: a year over several funds, as a national deployment runs it — each fund in a
 * store of its own with its own writer, the funds spread over worker threads. A fund's cases stay
 * on one thread and are planned from the fund's own seed, so the year is the same whatever the
 * number of workers; the results are added up on the main thread, fund by fund in order.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CliError } from '../cli-output.ts';
import { redactUrl, withStorage } from '../storage.ts';
import { defaultCalibration, type Calibration } from './calibration.ts';
import { simulationCaseIdPrefix } from './case-plan.ts';
import { FundMessage, failureMessage, playFunds, type FundsTask, type FundTask } from './fund-tasks.ts';
import { assignFunds, fundSeed, fundShares, fundsOf, fundStorageUrl } from './funds.ts';
import { ProgressReporter, type SimulationHooks } from './progress.ts';
import type { SimulationResult } from './result.ts';
import { checkSimulationOptions, summariseSimulation, type StoreOutcome } from './runner.ts';
import { claimStoreForSimulation, foreignCasesError, inspectStoreForSimulation, SimulationStoreError } from './store-guard.ts';

/** What to simulate over several funds. */
export interface NationalOptions {
  /**
   * The store the run is named by: it holds the run's mark and the list of funds (what `misas
   * report` reads); each fund's store is beside it (see `fundStorageUrl`).
   */
  readonly storeUrl: string;
  /** How many funds of `nationalFundIds` the referrals spread over (at least 2 here; 1 is `simulateYear`). */
  readonly funds: number;
  /** Worker threads (default: the machine's cores, at most one per fund). 1 plays every fund on the main thread. */
  readonly workers?: number;
  readonly cases: number;
  readonly from: string;
  readonly to: string;
  readonly seed: number;
  readonly until?: string;
  readonly calibration?: Calibration;
  readonly groupCommit?: boolean;
}

/** What a simulation over funds adds to the hooks: warnings of the stores (a key file generated), once each kind. */
export interface NationalHooks extends SimulationHooks {
  /** Hears a store's warning (a key file generated), once per kind. */
  onWarning?(text: string): void;
}

/** Adds up the funds' progress: cases ended while any fund plays, then read models filled. */
class FundsProgress {
  readonly #reporter: ProgressReporter;
  readonly #played = new Map<string, number>();
  readonly #projected = new Map<string, number>();
  readonly #cases: number;
  readonly #models: number;
  #phase: 'play' | 'project' = 'play';

  constructor(hooks: SimulationHooks, cases: number, funds: number) {
    this.#reporter = new ProgressReporter(hooks);
    this.#cases = cases;
    this.#models = funds * 3;
    this.#reporter.start('play', cases);
  }

  update(fundId: string, phase: 'plan' | 'play' | 'project', done: number): void {
    if (phase === 'play') this.#played.set(fundId, done);
    if (phase === 'project') this.#projected.set(fundId, done);
    const played = [...this.#played.values()].reduce((sum, n) => sum + n, 0);
    if (this.#phase === 'play') {
      this.#reporter.report(played);
      if (played < this.#cases) return;
      this.#phase = 'project';
      this.#reporter.start('project', this.#models);
    }
    this.#reporter.report([...this.#projected.values()].reduce((sum, n) => sum + n, 0));
  }

  finish(): void {
    if (this.#phase === 'play') this.update('', 'play', this.#cases);
    this.#reporter.report(this.#models);
  }
}

/** The worker's entry beside this file: `.ts` when run from source, `.js` once built. */
function workerEntry(): { url: URL; execArgv: string[] } {
  const extension = extname(fileURLToPath(import.meta.url));
  const url = new URL(`./fund-worker${extension}`, import.meta.url);
  // From source, the workspace packages must resolve to their sources, as on the main thread.
  const source = '@misas/source';
  const given = process.execArgv.some((arg, i, all) => arg === `--conditions=${source}` || ((arg === '--conditions' || arg === '-C') && all[i + 1] === source));
  const execArgv = extension === '.ts' && !given ? [...process.execArgv, `--conditions=${source}`] : process.execArgv;
  return { url, execArgv };
}

/** Plays each part of the funds on a worker thread of its own; resolves when every one has ended. */
function playOnWorkers(parts: readonly FundsTask[], onMessage: (message: FundMessage) => void): Promise<void> {
  const { url, execArgv } = workerEntry();
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let running = parts.length;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      for (const worker of workers) void worker.terminate();
      reject(error);
    };
    for (const part of parts) {
      const worker = new Worker(url, { workerData: part, execArgv });
      workers.push(worker);
      worker.on('message', (raw: unknown) => {
        const parsed = FundMessage.safeParse(raw);
        if (!parsed.success) return fail(new Error(`a simulation worker sent an unexpected message: ${parsed.error.issues[0]?.message ?? ''}`));
        try {
          onMessage(parsed.data);
        } catch (error) {
          fail(error);
        }
      });
      worker.on('error', fail);
      worker.on('exit', () => {
        running--;
        if (running === 0 && !failed) resolve();
      });
    }
  });
}

/** The error a worker's failure message stands for, thrown again on the main thread. */
function failureOf(message: Extract<FundMessage, { type: 'failed' }>): Error {
  if (message.storeRule) return new SimulationStoreError(message.storeRule, message.message);
  return new CliError(message.message, message.exitCode);
}

/**
 * Refuses a fund's store that holds anything: a real case, or an earlier simulation. A SQLite file
 * that does not exist yet is not created here.
 * @throws SimulationStoreError
 */
async function refuseUsedStore(url: string, onWarning: (text: string) => void): Promise<void> {
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : /^[a-z][a-z0-9+.-]*:/i.test(url) ? null : url;
  if (file !== null && file !== ':memory:' && !existsSync(file)) return;
  const state = await withStorage(url, inspectStoreForSimulation, { onWarning });
  if (state.kind === 'foreign') throw foreignCasesError(state);
  if (state.kind === 'simulation') {
    throw new SimulationStoreError(
      'previous-simulation',
      `the store ${redactUrl(url)} already holds a simulation (seed ${state.mark.seed}): a simulation needs empty stores; rerun with --replace to start the files afresh, or name another store`,
    );
  }
}

/**
 * Simulates a year whose referrals spread evenly over `funds` funds, each fund in a store of its
 * own, played on worker threads. Reproducible: the same options give the same result (timings
 * aside) whatever `workers`.
 * @throws SimulationStoreError when the run's store or a fund's holds anything (a real case, an earlier simulation)
 * @throws MisasError `invalid-funds` when `funds` is out of range; RangeError when a fund would get no referral
 */
export async function simulateNational(options: NationalOptions, hooks: NationalHooks = {}): Promise<SimulationResult> {
  const started = performance.now();
  checkSimulationOptions(options);
  const fundIds = fundsOf(options.funds);
  if (options.cases < fundIds.length) throw new RangeError(`--cases must be at least --funds (${fundIds.length}): every fund gets at least one referral`);
  const calibration = options.calibration ?? defaultCalibration;
  const { from, to, seed } = options;
  const warned = new Set<string>();
  const onWarning = (text: string) => {
    // One line per kind of warning, not one per fund (a key file generated beside each store).
    const kind = text.replace(/\S*\/\S*/g, '…');
    if (warned.has(kind)) return;
    warned.add(kind);
    (hooks.onWarning ?? console.warn)(fundIds.length > 1 ? `${text} (and beside each fund's store)` : text);
  };
  const shares = fundShares(options.cases, fundIds.length);
  const tasks: FundTask[] = fundIds.map((fundId, i) => ({ fundId, seed: fundSeed(seed, fundId), cases: shares[i] ?? 0, url: fundStorageUrl(options.storeUrl, fundId) }));
  // Every fund's store is checked before anything is written (each worker checks its own again, then claims it).
  for (const task of tasks) await refuseUsedStore(task.url, onWarning);
  // The run's own store: refused if it holds anything, then marked with the list of funds.
  await withStorage(
    options.storeUrl,
    (storage) => claimStoreForSimulation(storage, { seed, cases: options.cases, from, to, caseIdPrefix: simulationCaseIdPrefix(seed), funds: fundIds }),
    { onWarning },
  );

  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), fundIds.length));
  const parts: FundsTask[] = assignFunds(tasks, workers).map((funds) => ({
    funds,
    from,
    to,
    seed,
    calibration,
    ...(options.until === undefined ? {} : { until: options.until }),
    ...(options.groupCommit === undefined ? {} : { groupCommit: options.groupCommit }),
  }));

  const progress = new FundsProgress(hooks, options.cases, fundIds.length);
  const outcomes = new Map<string, StoreOutcome>();
  const onMessage = (message: FundMessage) => {
    if (message.type === 'progress') progress.update(message.fundId, message.phase, message.done);
    else if (message.type === 'warning') onWarning(message.text);
    else if (message.type === 'outcome') outcomes.set(message.fundId, message.outcome);
    else throw failureOf(message);
  };
  const playStarted = performance.now();
  if (workers === 1) {
    const [only] = parts;
    // One worker: the funds are played here, one after the other, by the very code a worker runs.
    if (only) await playFunds(only, onMessage).catch((error: unknown) => onMessage(failureMessage(error)));
  } else {
    await playOnWorkers(parts, onMessage);
  }
  progress.finish();
  const playMs = performance.now() - playStarted;
  const ordered = fundIds.map((fundId) => {
    const outcome = outcomes.get(fundId);
    if (outcome === undefined) throw new Error(`the simulation of fund ${fundId} ended without a result`);
    return outcome;
  });
  return summariseSimulation(ordered, { from, to, seed, calibration, started, playMs, fundIds });
}
