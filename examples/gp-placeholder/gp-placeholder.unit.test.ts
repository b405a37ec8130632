import { describe, expect, it } from 'vitest';
import { printed } from '../shared/printed.ts';
import { caseId, main, runGpPlaceholder } from './main.ts';

describe('the GP-search rule, placeholder branch', () => {
  it('records a placeholder GP and a letter when no criterion is met', async () => {
    const world = await runGpPlaceholder();
    const file = await world.file(caseId);
    expect(file.gpSearch).toEqual({ outcome: 'placeholder-gp-and-letter', criteriaMet: [] });
    expect(file.actions['letter']?.status).toBe('done');
    expect(await world.status(caseId)).toBe('accompaniment');
    // No ALD protocol: no expiry deadline to remind.
    expect((await world.events(caseId)).some((e) => e.type === 'ReminderIssued')).toBe(false);
  });

  it('prints the decision, the same at every run', async () => {
    const lines = await printed(main);
    expect(lines[0]).toBe('Rule preview: placeholder-gp-and-letter (criteria met: none)\n');
    expect(lines.join('\n')).toContain('GP search: placeholder-gp-and-letter');
    expect(await printed(main)).toEqual(lines);
  });
});
