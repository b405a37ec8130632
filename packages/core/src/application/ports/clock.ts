/**
 * Time is a port: the library never reads the system clock by itself, so a simulation replays
 * identically and a test can move time forward.
 */

/** Where the current instant comes from. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** The machine's clock, for production use. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to: for tests and simulations. */
export class VirtualClock implements Clock {
  #millis: number;

  constructor(start: Date | string) {
    this.#millis = new Date(start).getTime();
    if (Number.isNaN(this.#millis)) throw new RangeError(`VirtualClock: invalid start instant ${String(start)}`);
  }

  now(): Date {
    return new Date(this.#millis);
  }

  /** Jumps to an instant; moving backwards is refused because events must stay in order. */
  set(instant: Date | string): void {
    const millis = new Date(instant).getTime();
    if (Number.isNaN(millis)) throw new RangeError(`VirtualClock: invalid instant ${String(instant)}`);
    if (millis < this.#millis) throw new RangeError('VirtualClock: time cannot move backwards');
    this.#millis = millis;
  }

  /** Moves forward by a duration. */
  advance(by: { days?: number; hours?: number; minutes?: number; seconds?: number }): void {
    const millis =
      (by.days ?? 0) * 86_400_000 + (by.hours ?? 0) * 3_600_000 + (by.minutes ?? 0) * 60_000 + (by.seconds ?? 0) * 1000;
    this.set(new Date(this.#millis + millis));
  }
}
