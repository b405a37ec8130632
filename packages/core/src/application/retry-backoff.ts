/**
 * How long the command handler waits before trying a command again after losing a race for its
 * case (a `ConcurrencyError`): exponential backoff with full jitter. Retrying at once, as writers on
 * one busy case did, makes them collide again in lockstep; a random wait, drawn from a range that
 * doubles with each attempt up to a cap, spreads them out so that each retry is likely to find the
 * case free.
 *
 * Written here rather than taken from a retry library (p-retry, exponential-backoff, cockatiel):
 * those wrap a whole function and retry it on any error they are told about, drawing from
 * `Math.random` and `setTimeout`. The handler retries only part of its loop (a conflict, not a
 * refusal decided on a kept state), and its tests need the randomness and the sleep injected;
 * the formula itself is one line.
 */

/** The backoff of the command handler; every field has a default. */
export interface RetryBackoff {
  /** Wait range of the first retry, in milliseconds (default 4). */
  readonly baseMs?: number;
  /** Largest wait range, in milliseconds (default 200). */
  readonly capMs?: number;
  /** Uniform in [0, 1): the jitter (default `Math.random`; inject a seeded one for reproducible runs). */
  readonly random?: () => number;
  /** Waits that many milliseconds (default a timer; inject one that records, or a virtual clock's, in tests). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The defaults, chosen on the contention test (8 processes × 200 commands on one case): a wait
 * range that reaches about twice (writers × one read-decide-append) within a few retries, so that
 * the writers of a busy case take turns instead of colliding.
 */
export const defaultRetryBackoff = { baseMs: 4, capMs: 200 } as const;

/**
 * Attempts of a command that meets concurrent writers, by default. Optimistic writers on one busy
 * case are not served in turn: a writer that lost several times waits longer than one that just
 * won, so the tail is long. With 30 attempts, 3 of 1,600 commands of 8 processes on one case still
 * gave up; with 60 none did. A command that gives up has waited at most about 11 s in all (5 s on average).
 */
export const defaultMaxAttempts = 60;

const timerSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The wait before retry number `retry` (1 for the first retry): uniform in
 * [0, min(cap, base × 2^(retry − 1))), "full jitter".
 */
export function backoffDelay(retry: number, backoff: RetryBackoff = {}): number {
  const base = backoff.baseMs ?? defaultRetryBackoff.baseMs;
  const cap = backoff.capMs ?? defaultRetryBackoff.capMs;
  const random = backoff.random ?? Math.random;
  return random() * Math.min(cap, base * 2 ** Math.max(0, retry - 1));
}

/** Waits before retry number `retry`, with the injected sleep. */
export function waitBeforeRetry(retry: number, backoff: RetryBackoff = {}): Promise<void> {
  return (backoff.sleep ?? timerSleep)(backoffDelay(retry, backoff));
}

/**
 * Checks the options once, when the handler is built, so a bad value fails there and not on the
 * first conflict.
 * @throws RangeError naming the field
 */
export function checkRetryBackoff(backoff: RetryBackoff, maxAttempts: number): void {
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a whole number ≥ 1, got ${maxAttempts}`);
  for (const field of ['baseMs', 'capMs'] as const) {
    const value = backoff[field];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new RangeError(`backoff.${field} must be a number of milliseconds ≥ 0, got ${value}`);
  }
}
