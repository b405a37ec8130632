/**
 * Every scenario file of this folder, played by the CLI's player: each expectation must hold, and
 * each case must end where the TypeScript example of the same story leaves it — same step, same
 * events (type, payload, instant, actor) and the same case file.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaseCommandHandler, caseFileOf, createInMemoryStorage, statusOf, type CaseState, type EventStore, type PersonalDataVault } from '@misas/core';
import { loadScenarioFile, playScenario } from '@misas/cli';
import { runBernadette } from '../bernadette/main.ts';
import { runComplexSocial } from '../complex-social/main.ts';
import { runDiego } from '../diego/main.ts';
import { runErasureRequest } from '../erasure-request/main.ts';
import { runGpPlaceholder } from '../gp-placeholder/main.ts';
import { runGpSystematic } from '../gp-systematic/main.ts';
import { runReachingOut } from '../reaching-out/main.ts';
import { seedPartners } from '../shared/partners.ts';
import { runUnreachable } from '../unreachable/main.ts';
import { runVanessa } from '../vanessa/main.ts';

const folder = new URL('./', import.meta.url);
const files = readdirSync(folder)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

/** Where the cases of a story were written: an event store and the vault of personal data. */
interface Played {
  readonly events: EventStore;
  readonly vault: PersonalDataVault;
}

/**
 * Each scenario file and the TypeScript example that tells the same story, played for its store.
 * `remote-consent.yaml` is the docs' example (Lou, CCAS de Lannion): not the story of
 * examples/remote-consent (Lina, the phone platform), so it has no counterpart here.
 */
const typeScriptExamples: Record<string, () => Promise<Played>> = {
  'diego.yaml': async () => {
    const { store, vault } = await runDiego();
    return { events: store, vault };
  },
  'vanessa.yaml': async () => (await runVanessa()).storage,
  'bernadette.yaml': async () => (await runBernadette()).storage,
  'complex-social.yaml': async () => (await runComplexSocial()).world.storage,
  'unreachable.yaml': async () => (await runUnreachable()).world.storage,
  'gp-systematic.yaml': async () => (await runGpSystematic()).world.storage,
  'gp-placeholder.yaml': async () => (await runGpPlaceholder()).storage,
  'erasure-request.yaml': async () => (await runErasureRequest()).world.storage,
  'reaching-out.yaml': async () => (await runReachingOut()).world.storage,
};

/**
 * Generated ids (ULIDs) in payloads, such as a note's id or a subject reference. The player mixes
 * the scenario's seed with its content (so that two files never draw the same ids), and a refused
 * step draws one too: the comparison is of facts, not of ids.
 */
const ulid = /^(subj_)?[0-9A-HJKMNP-TV-Z]{26}$/;
function withoutIds<T>(value: T): T {
  if (typeof value === 'string') return (ulid.test(value) ? '<id>' : value) as T;
  if (Array.isArray(value)) return value.map(withoutIds) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutIds(item)])) as T;
  return value;
}

/** A case as the comparison sees it: its step, its events without ids, and its file. */
async function caseAt(played: Played, caseId: string) {
  const { state, events } = await new CaseCommandHandler({ store: played.events, vault: played.vault }).load(caseId);
  return {
    status: statusOf(state as CaseState),
    version: state.version,
    // The ids (event, correlation, command) differ between the two ways of playing; the facts do not.
    events: events.map((event) => ({ type: event.type, data: withoutIds(event.data), occurredAt: event.meta.occurredAt, actor: event.meta.actor })),
    file: withoutIds(caseFileOf(state)),
  };
}

async function playFile(name: string) {
  const storage = createInMemoryStorage();
  const result = await playScenario(await loadScenarioFile(new URL(name, folder).pathname), { storage });
  return { result, storage };
}

describe('the scenario files of the examples', () => {
  it('cover every example the issue lists', () => {
    expect(files).toEqual([...Object.keys(typeScriptExamples), 'remote-consent.yaml', 'calls-and-appointments.yaml', 'review-follow-up.yaml'].sort());
  });

  describe.each(files)('%s', (name) => {
    it('plays with every expectation holding, and states at least one refusal', async () => {
      const { result } = await playFile(name);
      expect(result.steps.flatMap((step) => step.failures)).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.steps.filter((step) => step.error !== null).length).toBeGreaterThan(0);
    });
  });

  // remote-consent.yaml tells its own story (see docs/scenarios.md): the others replay a TypeScript example.
  describe.each(Object.keys(typeScriptExamples))('%s', (name) => {
    it('ends each case where the TypeScript example leaves it', async () => {
      const { result, storage } = await playFile(name);
      const example = await typeScriptExamples[name]!();
      expect(result.cases.length).toBeGreaterThan(0);
      for (const { caseId, state, version } of result.cases) {
        const scenario = await caseAt(storage, caseId);
        const typeScript = await caseAt(example, caseId);
        expect({ state, version }).toEqual({ state: typeScript.status, version: typeScript.version });
        expect(scenario.events).toEqual(typeScript.events);
        expect(scenario.file).toEqual(typeScript.file);
      }
    });
  });

  it.each(Object.entries(seedPartners))("end %s's case with exactly the partners the seeds tick", async (person, partners) => {
    const { storage } = await playFile(`${person}.yaml`);
    const { file } = await caseAt(storage, `case-${person}`);
    expect(Object.values(file.partnerReferrals).map((referral) => referral.partner).sort()).toEqual([...partners].sort());
  });
});
