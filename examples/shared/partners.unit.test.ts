import { describe, expect, it } from 'vitest';
import { Partner } from '@misas/core';
import { diegoPartners } from '../diego/main.ts';
import { seedPartners } from './partners.ts';

describe('the partners the seeds tick', () => {
  it("are Diego's in the diego example", () => {
    expect([...diegoPartners].sort()).toEqual([...seedPartners.diego].sort());
  });

  it('are all in the partner catalogue, once each', () => {
    for (const partners of Object.values(seedPartners)) {
      for (const partner of partners) expect(Partner.options).toContain(partner);
      expect(new Set(partners).size).toBe(partners.length);
    }
  });
});
