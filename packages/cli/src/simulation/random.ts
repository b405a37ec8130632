/**
 * A seeded source of randomness for the simulation, on top of core's `mulberry32`. Every draw of a
 * run goes through one of these, so the same seed replays the same year.
 */
import { mulberry32 } from '@misas/core';

/** Weights by value: relative, they need not add up to 1 (a zero weight is never drawn). */
export type Weights<K extends string> = Readonly<Partial<Record<K, number>>>;

/** Draws numbers, choices and delays from a seeded PRNG. */
export class Random {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }

  /** A number in [0, 1). */
  next(): number {
    return this.#next();
  }

  /** A 32-bit unsigned integer: the seed of a child generator (one per case). */
  seed(): number {
    return Math.floor(this.#next() * 4_294_967_296) >>> 0;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.#next() < p;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.#next() * items.length)];
    if (item === undefined) throw new RangeError('Random.pick: empty list');
    return item;
  }

  /** One key, with probability proportional to its weight. */
  weighted<K extends string>(weights: Weights<K>): K {
    const entries = weightEntries(weights);
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    if (total <= 0) throw new RangeError('Random.weighted: no positive weight');
    let draw = this.#next() * total;
    for (const [key, weight] of entries) {
      draw -= weight;
      if (draw < 0) return key;
    }
    // Rounding can leave a sliver at the very end: it belongs to the last key.
    const last = entries.at(-1);
    if (last === undefined) throw new RangeError('Random.weighted: no positive weight');
    return last[0];
  }

  /** `count` distinct keys (at most as many as have a weight), each drawn by weight among those left. */
  weightedDistinct<K extends string>(weights: Weights<K>, count: number): K[] {
    const left = new Map<K, number>(weightEntries(weights));
    const chosen: K[] = [];
    while (chosen.length < count && left.size > 0) {
      const key = this.weighted(Object.fromEntries(left) as Weights<K>);
      chosen.push(key);
      left.delete(key);
    }
    return chosen;
  }

  /**
   * A whole number of days around a typical delay: log-normal, as waiting times are (most are
   * short, a few are long), clamped to [min, max].
   */
  delay(delay: { readonly median: number; readonly min: number; readonly max: number }): number {
    // Box-Muller; 1 - next() keeps the logarithm away from 0.
    const normal = Math.sqrt(-2 * Math.log(1 - this.#next())) * Math.cos(2 * Math.PI * this.#next());
    const spread = 0.6;
    const days = Math.round(Math.max(delay.median, 0.5) * Math.exp(spread * normal));
    return Math.min(delay.max, Math.max(delay.min, days));
  }
}

function weightEntries<K extends string>(weights: Weights<K>): [K, number][] {
  // Object.entries loses the key type; the keys are those of `weights`, which are K.
  return (Object.entries(weights) as [K, number | undefined][]).filter((entry): entry is [K, number] => (entry[1] ?? 0) > 0);
}
