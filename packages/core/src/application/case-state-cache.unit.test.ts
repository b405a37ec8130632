import { describe, expect, it } from 'vitest';
import { initialCaseState } from '../domain/lifecycle/case-state.ts';
import { CaseStateCache } from './case-state-cache.ts';

const entry = (version: number) => ({ state: { ...initialCaseState, version }, commandIds: new Set<string>() });

describe('CaseStateCache', () => {
  it('given a full cache, when a case is added, then the least recently used one goes', () => {
    const cache = new CaseStateCache(2);
    cache.set('a', entry(1));
    cache.set('b', entry(1));
    cache.get('a');
    cache.set('c', entry(1));
    expect([cache.get('a') !== undefined, cache.get('b') !== undefined, cache.get('c') !== undefined]).toEqual([true, false, true]);
    expect(cache.size).toBe(2);
  });

  it('given capacity 0, then nothing is kept', () => {
    const cache = new CaseStateCache(0);
    cache.set('a', entry(1));
    expect(cache.get('a')).toBeUndefined();
  });

  it('given a bad capacity, then it names the option', () => {
    expect(() => new CaseStateCache(-1)).toThrow(/cachedCases/);
  });
});
