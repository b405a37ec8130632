import { describe, expect, it } from 'vitest';
import { referralEntry } from '@misas/core';
import { printed } from '../shared/printed.ts';
import { caseId, main, runErasureRequest } from './main.ts';

describe('an erasure request during the accompaniment', () => {
  it('closes the case, tells the detector, destroys the key; the detail and the export say erased', async () => {
    const { world, before, after, exported } = await runErasureRequest();
    const events = await world.events(caseId);
    expect(events.slice(-4).map((e) => e.type)).toEqual(['ErasureRequested', 'CaseClosed', 'DetectorNotificationRequested', 'PersonalDataErased']);
    const file = await world.file(caseId);
    expect(file.closure?.reason).toBe('erasure-requested');
    expect(file.personalDataErased).toBe(true);
    expect(await world.storage.vault.get(file.subjectRef ?? '', referralEntry)).toEqual({ status: 'erased' });
    expect([before, after, exported]).toEqual(['found', 'erased', 'erased']);
    expect(await world.status(caseId)).toBe('closed');
  });

  it('never prints her name, and prints the same at every run', async () => {
    const lines = await printed(main);
    const text = lines.join('\n');
    expect(text).toContain('Export (right of access), personal data: erased');
    expect(text).not.toContain('Maëlle');
    expect(await printed(main)).toEqual(lines);
  });
});
