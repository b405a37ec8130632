/**
 * Progress of a simulation, for a bar with a rate and an ETA: cases ended in the `play` phase,
 * read models filled in the `project` phase.
 */

/** Where a simulation is. `done` and `total` count cases in the `play` phase, read models in `project`. */
export interface SimulationProgress {
  readonly phase: 'plan' | 'play' | 'project';
  readonly done: number;
  readonly total: number;
  /** Units per second since the phase began (for a rate and an ETA), once measurable. */
  readonly rate?: number;
}

/** What a simulation tells while it runs. */
export interface SimulationHooks {
  /** Called often enough for a progress bar (about 500 times per phase at most), and once at `done === total`. */
  onProgress?(progress: SimulationProgress): void;
}

/** Turns counts into at most about 500 calls of `onProgress` per phase, each with its rate. */
export class ProgressReporter {
  readonly #hooks: SimulationHooks;
  #phase: SimulationProgress['phase'] = 'plan';
  #total = 0;
  #every = 1;
  #next = 0;
  #started = 0;

  constructor(hooks: SimulationHooks) {
    this.#hooks = hooks;
  }

  /** Starts a phase of `total` units (reported at 0). */
  start(phase: SimulationProgress['phase'], total: number): void {
    this.#phase = phase;
    this.#total = total;
    this.#every = Math.max(1, Math.ceil(total / 500));
    this.#next = 0;
    this.#started = performance.now();
    this.report(0);
  }

  /** Reports `done` units of the phase, unless the last report was too recent. */
  report(done: number): void {
    if (done < this.#next && done !== this.#total) return;
    this.#next = done + this.#every;
    const seconds = (performance.now() - this.#started) / 1000;
    const rate = seconds > 0.05 && done > 0 ? done / seconds : undefined;
    this.#hooks.onProgress?.({ phase: this.#phase, done, total: this.#total, ...(rate === undefined ? {} : { rate }) });
  }
}
