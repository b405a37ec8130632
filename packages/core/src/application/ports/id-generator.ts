/**
 * Ids are a port too: a seeded generator makes a whole simulation reproducible.
 */
import { monotonicFactory } from 'ulid';
import type { Clock } from './clock.ts';

/** Produces unique, time-ordered ids (ULIDs by default). */
export interface IdGenerator {
  /** A new id, greater than every id this generator gave before. */
  next(): string;
}

/** ULIDs stamped with the given clock's time, with the platform's random source. */
export function ulidGenerator(clock: Clock): IdGenerator {
  const factory = monotonicFactory();
  return { next: () => factory(clock.now().getTime()) };
}

/**
 * ULIDs whose random part comes from a seeded PRNG: the same seed and the same clock readings
 * give the same ids, run after run.
 */
export function seededUlidGenerator(seed: number, clock: Clock): IdGenerator {
  const factory = monotonicFactory(mulberry32(seed));
  return { next: () => factory(clock.now().getTime()) };
}

/** A tiny, well-known 32-bit PRNG: deterministic and good enough for id entropy in simulations. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
