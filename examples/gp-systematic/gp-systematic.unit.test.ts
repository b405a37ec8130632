import { describe, expect, it } from 'vitest';
import { printed } from '../shared/printed.ts';
import { caseId, main, runGpSystematic } from './main.ts';

describe('the GP-search rule, systematic branch', () => {
  it('offers a systematic accompaniment for an ALD protocol ending within 2 months, with the expiry reminder', async () => {
    const { world, fired } = await runGpSystematic();
    const file = await world.file(caseId);
    expect(file.gpSearch).toEqual({ outcome: 'systematic-accompaniment', criteriaMet: ['ald-protocol-expiring'], aldProtocolExpiresOn: '2026-04-30' });
    expect(fired).toEqual(['2026-03-10: ald-protocol-expiry (due 2026-03-01)']);
    const reminders = (await world.events(caseId)).filter((e) => e.type === 'ReminderIssued').map((e) => e.data);
    expect(reminders).toEqual([{ kind: 'ald-protocol-expiry', dueOn: '2026-03-01' }]);
    expect(await world.status(caseId)).toBe('closed');
    expect(file.closure?.reason).toBe('objectives-met');
    expect(file.outcomes).toEqual([{ kind: 'right-opened', right: 'declared-gp' }, { kind: 'right-opened', right: 'ald' }]);
  });

  it('prints the decision, the same at every run', async () => {
    const lines = await printed(main);
    expect(lines).toContain('\nDecision: systematic-accompaniment (criteria met: ald-protocol-expiring)');
    expect(await printed(main)).toEqual(lines);
  });
});
