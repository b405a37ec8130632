import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseCommand, eventDefinitions } from '@misas/core';
import { generatedDocs, repositoryRoot, staleDocs } from '../generate-docs.ts';
import { commandEventTypes, eventCatalogueMarkdown } from './event-catalogue.ts';
import {
  lifecycleEventTable,
  lifecycleMarkdown,
  lifecycleMermaid,
  type DrawableMachine,
  type MachineStateNode,
} from './lifecycle-diagram.ts';

const mermaid = lifecycleMermaid();
const mermaidLines = mermaid.split('\n').map((line) => line.trim());
const arrowLines = mermaidLines.filter((line) => line.includes(' --> '));

/** The lines written inside `state <name> { … }`. */
function compositeBody(name: string): string[] {
  const start = mermaidLines.indexOf(`state ${name} {`);
  const end = mermaidLines.indexOf('}', start);
  expect(start).toBeGreaterThanOrEqual(0);
  return mermaidLines.slice(start + 1, end);
}

describe('lifecycle diagram', () => {
  it('is a stateDiagram-v2 starting in `none`', () => {
    expect(mermaidLines[0]).toBe('stateDiagram-v2');
    expect(arrowLines).toContain('[*] --> none');
  });

  it('draws the transitions that move a case, with their guards', () => {
    expect(arrowLines).toEqual(
      expect.arrayContaining([
        'none --> triage : ReferralReceived',
        'triage --> review : ReferralAccepted',
        'triage --> redirected : ReferralRedirected',
        'triage --> declined : ReferralDeclined',
        'review --> contact : ReviewCompleted',
        'planning --> accompaniment : PlanAgreed [plan-has-items]',
        'closed --> accompaniment : CaseReopened [plan-was-agreed]',
        'closed --> contact : CaseReopened',
      ]),
    );
  });

  it('draws contact as a composite with its own initial state and its inner transitions', () => {
    const body = compositeBody('contact');
    expect(body).toEqual(
      expect.arrayContaining([
        'state "awaiting" as contact_awaiting',
        'state "reached" as contact_reached',
        'state "consentRefused" as contact_consentRefused',
        '[*] --> contact_awaiting',
        'contact_awaiting --> contact_reached : ContactAttempted [contact-reached]',
        'contact_reached --> contact_consentRefused : ConsentRecorded [consent-refused]',
      ]),
    );
    // An arrow to an outside state written inside the block would pull that state into it.
    expect(body.filter((line) => line.includes('planning') || line.includes('closed'))).toEqual([]);
  });

  it('resolves `#case.…` targets and draws a parent’s transition once, from the parent', () => {
    expect(arrowLines).toContain('contact_reached --> planning : NeedsIdentified [consent-valid]');
    expect(arrowLines).toContain('contact --> closed : CaseClosed');
    expect(arrowLines.filter((line) => line.startsWith('contact_') && line.endsWith(': CaseClosed'))).toEqual([]);
    expect(mermaid).not.toContain('#case');
  });

  it('uses ids Mermaid accepts: no dots, no hyphens', () => {
    for (const line of arrowLines) {
      const [from, rest] = line.split(' --> ');
      const to = rest?.split(' : ')[0];
      for (const id of [from, to]) expect(id).toMatch(/^(\[\*\]|[A-Za-z][A-Za-z0-9_]*)$/);
    }
  });

  it('draws no self-loop for the events that only record data', () => {
    for (const line of arrowLines) {
      const [from, rest] = line.split(' --> ');
      expect(rest?.split(' : ')[0], line).not.toBe(from);
    }
    const labels = arrowLines.map((line) => line.split(' : ')[1]?.split(' [')[0]);
    for (const recordOnly of ['NoteAdded', 'TimeSpentLogged', 'ReviewItemRecorded', 'DetectorNotificationRequested', 'OutcomeRecorded']) {
      expect(labels).not.toContain(recordOnly);
    }
  });

  it('is the same at every call', () => {
    expect(lifecycleMermaid()).toBe(mermaid);
    expect(lifecycleMarkdown()).toBe(lifecycleMarkdown());
  });
});

describe('events accepted without moving', () => {
  const table = lifecycleEventTable();
  const row = (state: string) => table.states.find((r) => r.state === state)?.events ?? [];
  const types = (state: string) => row(state).map((e) => e.eventType);

  it('has no root-level event: a stream cannot start with anything but a referral', () => {
    expect(table.everywhere).toEqual([]);
    expect(types('none')).toEqual([]);
  });

  it('has a row for each state a case can rest in, leaves of contact included', () => {
    expect(table.states.map((r) => r.state)).toEqual([
      'none',
      'triage',
      'review',
      'contact.awaiting',
      'contact.reached',
      'contact.consentRefused',
      'planning',
      'accompaniment',
      'closed',
      'redirected',
      'declined',
    ]);
  });

  it('gives each state its own and its ancestors’ targetless transitions, with their guards', () => {
    // The person's rights (objection, rectification, erasure request) are accepted whatever the step.
    const rights = ['ErasureRequested', 'EvaluationObjectionRecorded', 'PersonalDataRectified'];
    // Calls, messages and appointments are accepted at every open step, never after the end.
    const contacts = ['AppointmentCancelled', 'AppointmentHeld', 'AppointmentMissed', 'AppointmentMoved', 'AppointmentPlanned', 'ContactAttempted'];
    expect(types('review')).toEqual(
      ['ConsentWithdrawn', 'CounsellorAssigned', 'DetectorNotificationRequested', 'NoteAdded', 'ReminderIssued', 'ReviewFindingUpdated', 'ReviewItemRecorded', 'TimeSpentLogged', ...rights, ...contacts].sort(),
    );
    expect(types('triage')).toEqual(expect.arrayContaining(contacts));
    expect(types('accompaniment')).toEqual(expect.arrayContaining(contacts));
    // A review finding may change after the review, at every later open step; the closed case takes none.
    expect(types('accompaniment')).toContain('ReviewFindingUpdated');
    expect(types('triage')).not.toContain('ReviewFindingUpdated');
    expect(types('contact.reached')).toContain('WelcomeLetterDue');
    expect(types('contact.consentRefused')).not.toContain('WelcomeLetterDue');
    expect(types('closed')).toEqual(['DetectorNotificationRequested', 'NoteAdded', 'PersonalDataErased', 'TimeSpentLogged', ...rights].sort());
    expect(types('redirected')).toEqual(['DetectorNotificationRequested', 'NoteAdded', 'PartnerReferralUpdated', 'PersonalDataErased', 'TimeSpentLogged', ...rights].sort());
    expect(row('planning')).toContainEqual({ eventType: 'ActionStatusChanged', guard: 'action-exists', unless: [] });
  });

  it('says when an event stays only because the guard that would move it does not hold', () => {
    expect(row('contact.awaiting')).toContainEqual({ eventType: 'ContactAttempted', unless: ['contact-reached'] });
    expect(row('contact.reached')).toContainEqual({ eventType: 'ConsentRecorded', unless: ['consent-refused'] });
    expect(row('contact.reached')).toContainEqual({ eventType: 'ContactAttempted', unless: [] });
  });

  it('accepts every event of the catalogue somewhere in the lifecycle', () => {
    const moving = arrowLines.map((line) => line.split(' : ')[1]?.split(' [')[0]);
    const staying = [...table.everywhere, ...table.states.flatMap((r) => r.events)].map((e) => e.eventType);
    for (const { type } of eventDefinitions) expect([...moving, ...staying], type).toContain(type);
  });

  it('refuses a machine it would draw wrong', () => {
    const parallel: MachineStateNode = {
      key: 'both',
      path: ['both'],
      type: 'parallel',
      tags: [],
      order: 1,
      states: {},
      transitions: new Map(),
      initial: { target: [] },
      after: [],
      invoke: [],
    };
    const machine: DrawableMachine = { root: { ...parallel, key: 'm', path: [], type: 'compound', order: 0, states: { both: parallel }, initial: { target: [parallel] } } };
    expect(() => lifecycleMermaid(machine)).toThrow(/parallel/);
  });
});

describe('event catalogue', () => {
  const catalogue = eventCatalogueMarkdown();

  it('has a section for every event type, with its description and schema version', () => {
    for (const definition of eventDefinitions) {
      expect(catalogue).toContain(`### ${definition.type}\n\n${definition.description}\n\nSchema version: ${definition.schemaVersion}.`);
    }
  });

  it('documents the metadata envelope once', () => {
    expect(catalogue.match(/## Metadata envelope/g)).toHaveLength(1);
    for (const field of ['eventId', 'caseId', 'version', 'occurredAt', 'recordedAt', 'actor.role', 'correlationId', 'causationId', 'commandId', 'schemaVersion']) {
      expect(catalogue).toContain(`| \`${field}\` |`);
    }
  });

  it('renders payload types readably: enum values, optional fields, union branches', () => {
    expect(catalogue).toContain('| `reason` | one of `new-need`, `person-request`, `partner-request`, `closed-in-error` | yes |');
    expect(catalogue).toContain('| `strand` | one of `rights`, `care`, `prevention`, `social`, `digital` | no |');
    expect(catalogue).toContain('| `minutes` | integer from 1 to 1440 | yes |');
    expect(catalogue).toContain('| `outcome.amountCents` | integer > 0 | yes, when `outcome.kind` is `out-of-pocket-saved` |');
    expect(catalogue).not.toContain('any value');
  });

  it('lists every command with its description and the events decide may propose for it', () => {
    for (const command of CaseCommand.options) {
      expect(catalogue).toContain(`### ${command.shape.type.value}\n\n${command.meta()?.description ?? '(none)'}\n\nMay produce: [`);
    }
    const produced = commandEventTypes();
    expect(produced.get('AcceptReferral')).toEqual(['ReferralAccepted']);
    // The detector is told "started" with the plan, through decide.ts's helper `startNotice`.
    expect(produced.get('AgreePlan')).toEqual(['PlanAgreed', 'DetectorNotificationRequested']);
    expect(produced.get('DeclineReferral')).toEqual(['ReferralDeclined', 'DetectorNotificationRequested']);
    // Follow-ups built by decide.ts's helpers (`closing`) and by policy-dependent branches count too.
    expect(produced.get('RecordContactAttempt')).toEqual(['ContactAttempted', 'CaseClosed', 'DetectorNotificationRequested']);
    expect(produced.get('RecordConsent')).toEqual(['ConsentRecorded', 'WelcomeLetterDue', 'CaseClosed', 'DetectorNotificationRequested']);
    expect(produced.get('ReceiveReferral')).toEqual(['ReferralReceived', 'ReferralRedirected', 'DetectorNotificationRequested']);
  });

  it('refuses to guess when decide.ts no longer has its proposers table', () => {
    expect(() => commandEventTypes('export const somethingElse = {};')).toThrow(/proposers/);
  });
});

describe('committed docs', () => {
  it('are exactly what the generators produce now (run `pnpm docs:generate` after changing the code)', () => {
    for (const doc of generatedDocs()) {
      expect(readFileSync(join(repositoryRoot, doc.path), 'utf8'), doc.path).toBe(doc.content);
    }
    expect(staleDocs()).toEqual([]);
  });

  it('say where they come from and not to edit them', () => {
    const docs = generatedDocs();
    expect(docs.slice(0, 6).map((doc) => [doc.path, doc.generates])).toEqual([
      ['docs/lifecycle.md', 'file'],
      ['docs/events.md', 'file'],
      ['docs/referral-form.schema.json', 'file'],
      ['docs/scenario.schema.json', 'file'],
      ['docs/privacy.md', 'section'],
      ['docs/benchmarks.md', 'section'],
    ]);
    // Then what @misas/cli ships: the scenario schema and the examples (scripts/docs/cli-package-files.ts).
    expect(docs.slice(6).every((doc) => doc.generates === 'file' && /^packages\/cli\/(schema|examples)\//.test(doc.path))).toBe(true);
    expect(docs.slice(6).map((doc) => doc.path)).toContain('packages/cli/schema/scenario.schema.json');
    for (const doc of generatedDocs().filter((d) => d.path.endsWith('.md') && d.generates === 'file')) {
      expect(doc.content).toMatch(/Generated by `pnpm docs:generate` from .* — do not edit\./);
    }
    for (const doc of generatedDocs().filter((d) => d.generates === 'section')) {
      expect(doc.content).toMatch(/<!-- [a-z-]+:start \(generated by `pnpm docs:generate` from .*; do not edit\) -->/);
    }
  });

  it('publish the referral form JSON Schema a front end builds the form from', () => {
    const schema = JSON.parse(generatedDocs().find((d) => d.path === 'docs/referral-form.schema.json')?.content ?? '{}') as { oneOf?: unknown[] };
    expect(schema.oneOf).toHaveLength(2);
  });
});
