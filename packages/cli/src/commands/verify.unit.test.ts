import { describe, expect, it } from 'vitest';
import { describeBadEvent, progressPrinter } from './verify.ts';

describe('misas verify, its lines', () => {
  it('prints progress at most every interval, never before the first one has passed', () => {
    const err: string[] = [];
    let now = 0;
    const print = progressPrinter({ out: () => undefined, err: (line) => err.push(line) }, 2000, () => now);
    const at = (position: number) => ({ verified: position, bad: position > 4000 ? 1 : 0, position, head: 10_000 });
    for (const [time, position] of [[500, 2000], [1999, 4000], [2000, 6000], [3000, 8000], [4100, 10_000]] as const) {
      now = time;
      print(at(position));
    }
    expect(err).toEqual([
      'verify: 6,000 events checked, up to position 6,000 of 10,000 (60.0 %), 1 bad',
      'verify: 10,000 events checked, up to position 10,000 of 10,000 (100.0 %), 1 bad',
    ]);
  });

  it('names a bad event on one line', () => {
    expect(describeBadEvent({ position: 12, caseId: 'case-1', version: 3, type: 'TimeSpentLogged', issue: 'TimeSpentLogged payload does not match schema v2: minutes: Too small [too_small]' })).toBe(
      'position 12: case case-1, version 3, TimeSpentLogged: TimeSpentLogged payload does not match schema v2: minutes: Too small [too_small]',
    );
  });
});
