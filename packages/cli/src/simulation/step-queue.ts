/**
 * The simulation's event queue: the steps written so far of every case under way (the current
 * segment of each, see `script/timeline.ts`), ordered by time. A binary heap keeps each push and
 * pop at O(log n) for the tens of thousands of cases open at once in a national year. Ties are
 * broken by case index, then by the order the case's steps were written, so the order never
 * depends on when a segment was pushed.
 */
import type { Step } from './script/timeline.ts';

/** A step of one case, or the moment its next segment is to be written (`step` null). */
export interface QueuedStep {
  /** When it happens, epoch milliseconds. */
  readonly at: number;
  readonly caseIndex: number;
  /** Order of writing within the case: same-instant steps are played in the order written. */
  readonly seq: number;
  readonly step: Step | null;
}

function before(a: QueuedStep, b: QueuedStep): boolean {
  return a.at < b.at || (a.at === b.at && (a.caseIndex < b.caseIndex || (a.caseIndex === b.caseIndex && a.seq < b.seq)));
}

/** A priority queue of steps, earliest first. */
export class StepQueue {
  readonly #heap: QueuedStep[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(step: QueuedStep): void {
    const heap = this.#heap;
    heap.push(step);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent];
      if (above === undefined || !before(step, above)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = step;
  }

  /** The earliest step, without removing it. */
  peek(): QueuedStep | undefined {
    return this.#heap[0];
  }

  /** Removes and returns the earliest step. */
  pop(): QueuedStep | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = last;
      let target = i;
      const leftStep = heap[left];
      const rightStep = heap[right];
      if (leftStep !== undefined && before(leftStep, smallest)) (smallest = leftStep), (target = left);
      if (rightStep !== undefined && before(rightStep, smallest)) (smallest = rightStep), (target = right);
      if (target === i) break;
      heap[i] = smallest;
      i = target;
    }
    heap[i] = last;
    return top;
  }
}
