/**
 * One run of a task at a time within a process, with callers merged: a call made while a run is
 * waiting to start joins that run instead of queuing another. A call made while a run is in
 * progress gets the next run, which starts after it — so every caller is served by a run that
 * began after the call, and sees whatever the caller committed before calling.
 */
export class CoalescingRunner<T> {
  readonly #task: () => Promise<T>;
  #tail: Promise<unknown> = Promise.resolve();
  #waiting: Promise<T> | undefined;

  constructor(task: () => Promise<T>) {
    this.#task = task;
  }

  /** A run that starts after this call (possibly shared with other callers). */
  run(): Promise<T> {
    if (this.#waiting) return this.#waiting;
    const next = this.#tail.then(() => {
      this.#waiting = undefined;
      return this.#task();
    });
    this.#waiting = next;
    this.#tail = next.catch(() => undefined);
    return next;
  }
}
