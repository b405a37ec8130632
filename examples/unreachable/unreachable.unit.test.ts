import { describe, expect, it } from 'vitest';
import { printed } from '../shared/printed.ts';
import { main, runUnreachable } from './main.ts';

describe('a person who cannot be reached', () => {
  it('is closed as unreachable by the policy on the third failed attempt', async () => {
    const { world } = await runUnreachable();
    const events = await world.events('case-paul');
    const closed = events.find((e) => e.type === 'CaseClosed');
    expect(closed?.data).toEqual({ reason: 'unreachable', orientedTo: [] });
    expect(closed?.meta.occurredAt).toBe('2026-01-14T12:15:00.000Z');
    expect(events.filter((e) => e.type === 'ContactAttempted')).toHaveLength(3);
    // Never reached, so never started: the detector is told so, and why.
    expect(events.at(-1)?.data).toEqual({ notice: 'accompaniment-not-started', detectorKind: 'external-partner', reason: 'unreachable' });
    expect(await world.status('case-paul')).toBe('closed');
  });

  it('is reminded on the first-contact due day and closed by the scheduler 45 days after acceptance', async () => {
    const { world, reminders } = await runUnreachable();
    expect(reminders).toEqual([
      '2026-01-25: case-sonia first-contact (due 2026-01-25)',
      '2026-03-01: case-sonia unreachable-closure (due 2026-03-01)',
    ]);
    const events = await world.events('case-sonia');
    const closed = events.find((e) => e.type === 'CaseClosed');
    expect(closed?.data).toEqual({ reason: 'unreachable', orientedTo: [] });
    expect(closed?.meta.actor).toEqual({ role: 'system', id: 'scheduler' });
    expect(events.filter((e) => e.type === 'ReminderIssued').map((e) => e.data)).toEqual([{ kind: 'first-contact', dueOn: '2026-01-25' }]);
    expect(await world.status('case-sonia')).toBe('closed');
  });

  it('prints the same at every run', async () => {
    const lines = await printed(main);
    expect(lines.join('\n')).toContain('Closure: unreachable');
    expect(await printed(main)).toEqual(lines);
  });
});
