import { describe, expect, it } from 'vitest';
import { printed } from '../shared/printed.ts';
import { caseId, main, runRemoteConsent } from './main.ts';

describe('a remote detection', () => {
  it('confirms consent by phone, makes the welcome letter due, then sends it', async () => {
    const world = await runRemoteConsent();
    const file = await world.file(caseId);
    const events = await world.events(caseId);
    const types = events.map((e) => e.type);
    expect(types.indexOf('WelcomeLetterDue')).toBe(types.indexOf('ConsentRecorded') + 1);
    expect(types.indexOf('WelcomeLetterSent')).toBeGreaterThan(types.indexOf('WelcomeLetterDue'));
    expect(events.find((e) => e.type === 'WelcomeLetterDue')?.data).toEqual({ dueBy: '2026-02-18' });
    expect(file.referral?.consent).toEqual({ kind: 'remote-pending-confirmation' });
    expect(file.consent).toBe('given');
    expect(file.welcomeLetterSentAt).toBe('2026-02-13T09:00:00.000Z');
    expect(await world.status(caseId)).toBe('accompaniment');
  });

  it('prints the letter and the final state, no name, and the same at every run', async () => {
    const lines = await printed(main);
    expect(lines).toContain('Welcome letter: due by 2026-02-18, sent on 2026-02-13');
    expect(lines.join('\n')).not.toContain('Lina');
    expect(await printed(main)).toEqual(lines);
  });
});
