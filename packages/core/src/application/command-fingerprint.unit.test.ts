import { describe, expect, it } from 'vitest';
import { CaseCommand, type CaseCommandInput } from '../domain/commands.ts';
import { sampleExternalForm } from '../testing/fixtures.ts';
import { commandFingerprint } from './command-fingerprint.ts';

const fingerprint = (input: CaseCommandInput) => commandFingerprint(CaseCommand.parse(input));
const actor = { role: 'counsellor', id: 'counsellor-1' } as const;
const logTime = (data: object, overrides: object = {}): CaseCommandInput =>
  ({ type: 'LogTime', caseId: 'case-1', commandId: 'cmd-1', actor, data, ...overrides }) as CaseCommandInput;

describe('command fingerprints', () => {
  it('given the same command, then the key order, defaults left out, the sender and the correlation do not change it', () => {
    const base = fingerprint(logTime({ minutes: 5, activity: 'triage' }));
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint(logTime({ activity: 'triage', minutes: 5 }))).toBe(base);
    expect(fingerprint(logTime({ minutes: 5, activity: 'triage' }, { actor: { role: 'supervisor', id: 's' }, correlationId: 'x' }))).toBe(base);
    const close = (data: object) => fingerprint({ type: 'CloseCase', caseId: 'case-1', commandId: 'c', actor, data } as CaseCommandInput);
    expect(close({ reason: 'objectives-met' })).toBe(close({ reason: 'objectives-met', orientedTo: [] }));
  });

  it('given another type, case or payload, then it differs', () => {
    const base = fingerprint(logTime({ minutes: 5, activity: 'triage' }));
    expect(fingerprint(logTime({ minutes: 6, activity: 'triage' }))).not.toBe(base);
    expect(fingerprint(logTime({ minutes: 5, activity: 'triage' }, { caseId: 'case-2' }))).not.toBe(base);
    expect(fingerprint({ type: 'AgreePlan', caseId: 'case-1', commandId: 'cmd-1', actor, data: {} })).not.toBe(base);
  });

  it('given personal data, then it is left out (the log keeps the fingerprint for good): only the non-personal facts count', () => {
    const referral = (phone: string, reasons: ['rights-access' | 'care-renunciation']) =>
      fingerprint({ type: 'ReceiveReferral', caseId: 'case-1', commandId: 'c', actor, data: { fundId: 'cpam-22', form: sampleExternalForm({ person: { lastName: 'Martin', firstName: 'Alex', birthDate: '1989-04-12', phone }, reasons }) } });
    expect(referral('06 12 34 56 78', ['rights-access'])).toBe(referral('07 00 00 00 00', ['rights-access']));
    expect(referral('06 12 34 56 78', ['rights-access'])).not.toBe(referral('06 12 34 56 78', ['care-renunciation']));
    const rectify = (person: object) => fingerprint({ type: 'RectifyPersonalData', caseId: 'case-1', commandId: 'c', actor, data: { person } } as CaseCommandInput);
    expect(rectify({ phone: '06 12 34 56 78' })).toBe(rectify({ phone: '07 00 00 00 00' }));
    expect(rectify({ phone: '06 12 34 56 78' })).not.toBe(rectify({ lastName: 'Durand' }));
  });

  it('given a command, then its fingerprint is pinned: fingerprints already stored keep matching their retries', () => {
    // Computed once, by hand, as SHA-256 of the RFC 8785 text {"caseId":"case-1","data":{"activity":"triage","minutes":5},"type":"LogTime"}.
    expect(fingerprint(logTime({ minutes: 5, activity: 'triage' }))).toBe('e023e43bc597f9ad7f306d58581f232c4f12aa6ebe8d854ea832f6ad4a412531');
  });
});
