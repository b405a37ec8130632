/**
 * Hostile ids, text and dates, each sent through the public API (a session of `createMisas`, or the
 * `CaseCommandHandler` itself) of the privacy world, with the refusal it must meet. The world's
 * clock reads 2026-01-05T09:00Z; case `a-1` is in planning with counsellor-1, strand `rights`.
 */
import type { CaseCommandInput, PrincipalInput } from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';
import type { SessionCommand } from '../session.ts';
import { fundA, principals, type PrivacyWorld } from './privacy-world.ts';

/** A hostile input and how it must be refused. */
export interface Attack {
  readonly name: string;
  send(world: PrivacyWorld): Promise<unknown>;
  /** A `ValidationError` whose first issue has this path and rule, or a `CommandRejectedError` by this rule. */
  readonly refused: { readonly path: string; readonly rule: string } | { readonly rejectedBy: string };
}

export const fiveMegabytes = 'x'.repeat(5 * 1024 * 1024);

type Form = Parameters<typeof sampleExternalForm>[0];

const as = (world: PrivacyWorld, principal: PrincipalInput) => world.misas.as(principal);
const counsellor = (world: PrivacyWorld) => as(world, principals.counsellor);

/** A referral filed by the world's detector, with the form and envelope changed. */
function referral(world: PrivacyWorld, form: Form = {}, envelope: Partial<SessionCommand> = {}, data: { fundId?: string } = {}) {
  return as(world, principals.detector).execute({
    type: 'ReceiveReferral',
    caseId: 'x-1',
    commandId: 'x-1:received',
    data: { fundId: data.fundId ?? fundA, form: sampleExternalForm(form) },
    ...envelope,
  } as SessionCommand);
}

/** A command of counsellor-1 on case a-1. */
function onA1(world: PrivacyWorld, command: Omit<SessionCommand, 'caseId' | 'commandId'> & Partial<SessionCommand>) {
  return counsellor(world).execute({ caseId: 'a-1', commandId: 'attack', ...command } as SessionCommand);
}

const plan = { strand: 'rights', kind: 'other', owner: { kind: 'person' }, dueDate: '2026-02-01' } as const;

/** Ids: every kind of id, sent where a user can put it. */
export const idAttacks: readonly Attack[] = [
  { name: 'a NUL in a principal id', send: async (w) => as(w, { ...principals.detector, id: 'det\u0000' }), refused: { path: 'id', rule: 'id-control-character' } },
  { name: "a blank principal id ' '", send: async (w) => as(w, { ...principals.supervisor, id: ' ' }), refused: { path: 'id', rule: 'id-blank' } },
  { name: 'a no-break space as principal id', send: async (w) => as(w, { ...principals.auditor, id: '\u00a0' }), refused: { path: 'id', rule: 'id-blank' } },
  { name: 'a 5 MB fund id of a principal', send: async (w) => as(w, { ...principals.supervisor, fundId: fiveMegabytes }), refused: { path: 'fundId', rule: 'too_big' } },
  { name: 'a lone surrogate in a team member id', send: async (w) => as(w, { ...principals.counsellor, team: ['\uD800'] }), refused: { path: 'team.0', rule: 'id-lone-surrogate' } },
  { name: 'a lone surrogate as case id', send: (w) => referral(w, {}, { caseId: '\uD800' }), refused: { path: 'caseId', rule: 'id-lone-surrogate' } },
  { name: 'a 129-character command id', send: (w) => referral(w, {}, { commandId: 'c'.repeat(129) }), refused: { path: 'commandId', rule: 'too_big' } },
  { name: 'a 5 MB command id', send: (w) => referral(w, {}, { commandId: fiveMegabytes }), refused: { path: 'commandId', rule: 'too_big' } },
  { name: 'a blank correlation id', send: (w) => referral(w, {}, { correlationId: '\u00a0' }), refused: { path: 'correlationId', rule: 'id-blank' } },
  { name: 'a right-to-left override in a causation id', send: (w) => referral(w, {}, { causationId: 'cmd-\u202e1' }), refused: { path: 'causationId', rule: 'id-control-character' } },
  { name: 'an empty actor id', send: (w) => referral(w, {}, { actor: { role: 'detector', id: '' } }), refused: { path: 'actor.id', rule: 'too_small' } },
  { name: 'a lone surrogate as fund id', send: (w) => referral(w, {}, {}, { fundId: 'cpam-\uDC00' }), refused: { path: 'data.fundId', rule: 'id-lone-surrogate' } },
  { name: 'a 5 MB counsellor id', send: (w) => as(w, principals.supervisor).execute({ type: 'AssignCounsellor', caseId: 'a-2', commandId: 'attack', data: { counsellorId: fiveMegabytes } }), refused: { path: 'data.counsellorId', rule: 'too_big' } },
  { name: 'a NUL in an action id', send: (w) => onA1(w, { type: 'PlanAction', data: { ...plan, actionId: 'a\u0000' } }), refused: { path: 'data.actionId', rule: 'id-control-character' } },
  { name: 'a blank partner referral id', send: (w) => onA1(w, { type: 'UpdatePartnerReferral', data: { referralId: ' ', status: 'completed' } }), refused: { path: 'data.referralId', rule: 'id-blank' } },
  { name: 'a lone surrogate as case id of a query', send: (w) => as(w, principals.supervisor).caseDetail('\uD800'), refused: { path: 'caseId', rule: 'id-lone-surrogate' } },
  { name: 'a NUL in the counsellor id of an agenda', send: (w) => as(w, principals.supervisor).agenda({ counsellorId: 'c\u0000', today: '2026-01-05' }), refused: { path: 'counsellorId', rule: 'id-control-character' } },
  {
    name: 'a NUL in a command id, straight to the CaseCommandHandler',
    send: (w) => w.misas.handler.execute({ type: 'AddNote', caseId: 'a-1', commandId: 'n\u0000', actor: { role: 'counsellor', id: 'counsellor-1' }, data: { text: 'hello' } }),
    refused: { path: 'commandId', rule: 'id-control-character' },
  },
  {
    name: 'a 5 MB actor id, straight to the CaseCommandHandler',
    send: (w) => w.misas.handler.execute({ type: 'AddNote', caseId: 'a-1', commandId: 'n-1', actor: { role: 'counsellor', id: fiveMegabytes }, data: { text: 'hello' } } satisfies CaseCommandInput),
    refused: { path: 'actor.id', rule: 'too_big' },
  },
];

/** Free text: the form's names and comments, a note. */
export const textAttacks: readonly Attack[] = [
  { name: 'a NUL in a note', send: (w) => onA1(w, { type: 'AddNote', data: { text: 'call\u0000back' } }), refused: { path: 'data.text', rule: 'text-control-character' } },
  { name: 'a lone surrogate in a note', send: (w) => onA1(w, { type: 'AddNote', data: { text: 'call \uD800' } }), refused: { path: 'data.text', rule: 'text-lone-surrogate' } },
  { name: 'a 10,001-character note', send: (w) => onA1(w, { type: 'AddNote', data: { text: 'n'.repeat(10_001) } }), refused: { path: 'data.text', rule: 'too_big' } },
  { name: 'a 5 MB comment on the form', send: (w) => referral(w, { comments: fiveMegabytes }), refused: { path: 'data.form.comments', rule: 'too_big' } },
  { name: 'a line feed in a last name', send: (w) => referral(w, { person: { lastName: 'Le\nGall', firstName: 'Anne', birthDate: '1980-01-01' } }), refused: { path: 'data.form.person.lastName', rule: 'text-control-character' } },
  {
    name: "a NUL in the detector's service",
    send: (w) => referral(w, { detector: { kind: 'external-partner', name: 'A. Morvan', service: 'CCAS\u0000' } }),
    refused: { path: 'data.form.detector.service', rule: 'text-control-character' },
  },
];

const person = (birthDate: string) => ({ lastName: 'Le Gall', firstName: 'Anne', birthDate });

/** Dates a calendar accepts and a case cannot hold. */
export const dateAttacks: readonly Attack[] = [
  { name: 'a birth on 0000-01-01', send: (w) => referral(w, { person: person('0000-01-01') }), refused: { path: 'data.form.person.birthDate', rule: 'date-range' } },
  { name: 'a birth on 1899-12-31', send: (w) => referral(w, { person: person('1899-12-31') }), refused: { path: 'data.form.person.birthDate', rule: 'date-range' } },
  { name: 'a birth tomorrow', send: (w) => referral(w, { person: person('2026-01-06') }), refused: { path: 'data.form.person.birthDate', rule: 'birth-date-after-referral' } },
  { name: 'a referral on 9999-12-31', send: (w) => referral(w, { referralDate: '9999-12-31' }), refused: { path: 'data.form.referralDate', rule: 'date-range' } },
  { name: 'a consent signed on 0000-01-01', send: (w) => referral(w, { consent: { kind: 'signed', signedOn: '0000-01-01' } }), refused: { path: 'data.form.consent.signedOn', rule: 'date-range' } },
  { name: 'a referral dated after the day it is recorded', send: (w) => referral(w, { referralDate: '2026-01-07', consent: { kind: 'signed', signedOn: '2026-01-05' } }), refused: { rejectedBy: 'referral-dates-not-in-future' } },
  { name: 'an action due on 9999-12-31', send: (w) => onA1(w, { type: 'PlanAction', data: { ...plan, dueDate: '9999-12-31' } }), refused: { path: 'data.dueDate', rule: 'date-range' } },
  { name: 'a fact that occurred in year 0001', send: (w) => onA1(w, { type: 'LogTime', occurredAt: '0001-01-01T00:00:00.000Z', data: { minutes: 5, activity: 'paperwork' } }), refused: { path: 'occurredAt', rule: 'date-range' } },
  {
    name: 'a birth date rectified to 1899-12-31',
    send: (w) => as(w, principals['data-protection-officer']).execute({ type: 'RectifyPersonalData', caseId: 'a-1', commandId: 'attack', data: { person: { birthDate: '1899-12-31' } } }),
    refused: { path: 'data.person.birthDate', rule: 'date-range' },
  },
];

/** Names of `Object.prototype` as the id of something that does not exist. */
export const prototypeNameAttacks: readonly Attack[] = [
  { name: "an action 'toString' never planned", send: (w) => onA1(w, { type: 'UpdateActionStatus', data: { actionId: 'toString', status: 'done' } }), refused: { rejectedBy: 'action-exists' } },
  { name: "an action 'constructor' never planned", send: (w) => onA1(w, { type: 'UpdateActionStatus', data: { actionId: 'constructor', status: 'cancelled' } }), refused: { rejectedBy: 'action-exists' } },
  { name: "a partner referral '__proto__' never made", send: (w) => onA1(w, { type: 'UpdatePartnerReferral', data: { referralId: '__proto__', status: 'completed' } }), refused: { rejectedBy: 'partner-referral-exists' } },
];
