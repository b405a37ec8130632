/**
 * Playing a scenario through `@misas/service`: one session per actor, the virtual clock set to
 * each step's instant, ids drawn from the scenario's seed, so that a scenario gives the same
 * events every time it is played on an empty store.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  AccessDeniedError,
  CaseCommand,
  CommandIdReusedError,
  CommandRejectedError,
  defaultPolicy,
  describeEvent,
  isStorageFailure,
  MisasError,
  policiesByFund,
  seededUlidGenerator,
  statusOf,
  ValidationError,
  VirtualClock,
  type CaseState,
  type FundPolicy,
  type MisasStorage,
  type PolicyProvider,
} from '@misas/core';
import { caseRegisterName, caseRegisterRow, computeIndicators, readModel, type CaseRegisterRow, type IndicatorReport } from '@misas/projections';
import { createMisas, type Misas, type MisasSession } from '@misas/service';
import { unmetExpectations } from './expectations.ts';
import type { FinalCase, ScenarioResult, StepError, StepResult } from './result.ts';
import { caseOfStep, type Scenario, type ScenarioStep } from './schema.ts';

/** Where to play. */
export interface PlayOptions {
  /** The store the cases are written to; the caller opens and closes it. */
  readonly storage: MisasStorage;
}

/** The policies of the scenario's funds, each defaulted from the seeds' rules. */
export function policiesOf(scenario: Scenario): PolicyProvider {
  // A fund's rules were parsed with the FundPolicy schema (defaults filled); `null` stands for the defaults.
  const policies: FundPolicy[] = Object.entries(scenario.funds).map(([fundId, policy]) => ({ ...(policy ?? defaultPolicy), fundId }));
  return policiesByFund(policies);
}

/**
 * What tells one scenario from another: the SHA-256 of its canonical JSON (RFC 8785), as parsed
 * (defaults filled in), so that reformatting a file or reordering its keys keeps it, and any change
 * of content gives another — but `$schema`, which only says where the JSON Schema is. 16 hex digits
 * (64 bits) are plenty to keep scenarios apart.
 */
export function scenarioKeyOf(scenario: Scenario): string {
  // Where the file says its JSON Schema is does not make it another scenario.
  const { $schema: _schemaLocation, ...content } = scenario;
  const canonical = canonicalize(content);
  if (canonical === undefined) throw new TypeError(`scenario ${scenario.name} has no JSON form`);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/**
 * The id of a step's command: the scenario's key and the step's number. The same file played again
 * on one store sends the same ids, and is applied once; two different files never share an id, so
 * the second is never taken for a retry of the first.
 */
export function commandIdOf(scenarioKey: string, stepIndex: number): string {
  return `scenario-${scenarioKey}-step-${stepIndex + 1}`;
}

/**
 * The seed of the scenario's ids, mixed with its key: two different files with the same seed (the
 * default is 1) and the same instants would otherwise draw the same event ids, and the second's
 * events would be taken for the first's by the store.
 */
function idSeedOf(scenario: Scenario, scenarioKey: string): number {
  return (scenario.seed ^ Number.parseInt(scenarioKey.slice(0, 8), 16)) >>> 0;
}

/** The state of a case in words, `null` while it has no events. */
function stateOf(state: CaseState): string | null {
  return state.version === 0 ? null : statusOf(state);
}

/** The error a step's command met, or a rethrow for what is not a refusal (a bug, a broken store). */
function stepErrorOf(error: unknown): StepError {
  if (error instanceof AccessDeniedError || error instanceof CommandRejectedError || error instanceof CommandIdReusedError) return { code: error.code, rule: error.rule, message: error.message };
  if (error instanceof ValidationError) return { code: error.code, rule: error.issues[0]?.rule ?? null, message: error.message };
  // A store that fails (read-only, damaged, full) is no outcome of the step: the run stops there.
  if (error instanceof MisasError && !isStorageFailure(error)) return { code: error.code, rule: null, message: error.message };
  throw error;
}

async function playStep(misas: Misas, session: MisasSession, scenario: Scenario, scenarioKey: string, step: ScenarioStep, index: number): Promise<StepResult> {
  const caseId = caseOfStep(scenario, step);
  const principal = session.principal;
  const label = { step: index + 1, as: step.as, command: step.command };
  const base = { step: index + 1, at: step.at, as: step.as, role: principal.role, caseId, command: step.command };
  // The session fills the actor in; it is given here so that the envelope is complete for the schema.
  const parsed = CaseCommand.safeParse({ type: step.command, caseId, commandId: commandIdOf(scenarioKey, index), actor: { role: principal.role, id: principal.id }, data: step.data });
  let outcome: StepResult['outcome'] = 'failed';
  let events: StepResult['events'] = [];
  let error: StepError | null = null;
  let state: string | null;
  try {
    if (!parsed.success) throw ValidationError.fromZod('command', parsed.error);
    const result = await session.execute(parsed.data);
    outcome = result.outcome;
    events = result.events.map((event) => ({ type: event.type, description: describeEvent(event) }));
    state = stateOf(result.state);
  } catch (caught) {
    error = stepErrorOf(caught);
    state = stateOf((await misas.handler.load(caseId)).state);
  }
  const failures = unmetExpectations(label, step.expect, { eventTypes: events.map((event) => event.type), state, error });
  return { ...base, outcome, events, state, error, ok: failures.length === 0, failures };
}

/** The period of the indicators: from the first day the scenario touches to the last. */
function periodOf(scenario: Scenario, rows: readonly CaseRegisterRow[]): { from: string; to: string } {
  const days = [scenario.start, ...scenario.steps.map((step) => step.at)].map((instant) => instant.slice(0, 10));
  days.push(...rows.map((row) => row.dates.referralDate));
  days.sort();
  return { from: days[0] ?? scenario.start.slice(0, 10), to: days.at(-1) ?? scenario.start.slice(0, 10) };
}

async function indicatorsOf(misas: Misas, storage: MisasStorage, scenario: Scenario, caseIds: readonly string[]): Promise<IndicatorReport> {
  await misas.refresh();
  const reader = readModel(storage.projections, caseRegisterName);
  const rows: CaseRegisterRow[] = [];
  for (const caseId of caseIds) {
    const row = await caseRegisterRow(reader, caseId);
    if (row) rows.push(row);
  }
  return computeIndicators(rows, periodOf(scenario, rows));
}

/**
 * Plays every step of a scenario in order, through one `@misas/service` session per actor, and
 * checks each step's expectation. A failed step does not stop the scenario: the result lists
 * every step, so one run shows every mismatch.
 */
export async function playScenario(scenario: Scenario, options: PlayOptions): Promise<ScenarioResult> {
  const clock = new VirtualClock(scenario.start);
  const scenarioKey = scenarioKeyOf(scenario);
  const misas = createMisas({ storage: options.storage, clock, ids: seededUlidGenerator(idSeedOf(scenario, scenarioKey), clock), policies: policiesOf(scenario) });
  const sessions = new Map(Object.entries(scenario.actors).map(([name, principal]) => [name, misas.as(principal)]));
  const steps: StepResult[] = [];
  for (const [index, step] of scenario.steps.entries()) {
    const session = sessions.get(step.as);
    if (session === undefined) throw new Error(`scenario step ${index + 1}: unknown actor '${step.as}' (the scenario was not parsed with its schema)`);
    clock.set(step.at);
    steps.push(await playStep(misas, session, scenario, scenarioKey, step, index));
  }
  const caseIds = [...new Set(steps.map((step) => step.caseId))];
  const cases: FinalCase[] = [];
  for (const caseId of caseIds) {
    const { state } = await misas.handler.load(caseId);
    cases.push({ caseId, state: stateOf(state), version: state.version });
  }
  const indicators = await indicatorsOf(misas, options.storage, scenario, caseIds);
  return { name: scenario.name, ok: steps.every((step) => step.ok), steps, cases, indicators };
}
