import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationStats, nearestRankPercentile } from './percentiles.ts';

describe('nearest-rank percentiles', () => {
  it('given known lists, then the median is the lower middle value and the 90th percentile the value at rank ⌈0.9 n⌉', () => {
    expect(durationStats([])).toEqual({ count: 0, median: null, p90: null });
    expect(durationStats([7])).toEqual({ count: 1, median: 7, p90: 7 });
    expect(durationStats([4, 1])).toEqual({ count: 2, median: 1, p90: 4 });
    expect(durationStats([10, 1, 3, 2, 10, 1])).toEqual({ count: 6, median: 2, p90: 10 });
    expect(durationStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ count: 10, median: 5, p90: 9 });
    expect(durationStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])).toEqual({ count: 11, median: 6, p90: 10 });
    expect(nearestRankPercentile([5, 1, 3], 100)).toBe(5);
    expect(() => nearestRankPercentile([1], 0)).toThrow(RangeError);
    expect(() => nearestRankPercentile([1], 101)).toThrow(RangeError);
  });

  it('property: the result is one of the values, at least p % of the values are at or below it, and fewer than p % below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 400 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 100 }), (values, p) => {
        const result = nearestRankPercentile(values, p);
        expect(result).not.toBeNull();
        const value = result ?? Number.NaN;
        expect(values).toContain(value);
        expect(values.filter((v) => v <= value).length * 100).toBeGreaterThanOrEqual(p * values.length);
        expect(values.filter((v) => v < value).length * 100).toBeLessThan(p * values.length);
      }),
    );
  });
});
