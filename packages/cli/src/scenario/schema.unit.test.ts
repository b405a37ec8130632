import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exampleScenario } from '../testing/capture.ts';
import { parseScenarioText, ScenarioFileError } from './parse.ts';
import { scenarioKeyOf } from './play.ts';
import { Scenario } from './schema.ts';

/** The example scenario as a plain object, to break one field at a time. */
function example(): Record<string, unknown> {
  const document: unknown = parseYaml(readFileSync(exampleScenario, 'utf8'));
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new Error('the example is not a mapping');
  return { ...document };
}

/** The paths and messages of the issues of an invalid scenario. */
function issuesOf(document: unknown): { path: string; message: string }[] {
  try {
    parseScenarioText(JSON.stringify(document), 'json', 'broken.json');
  } catch (error) {
    if (error instanceof ScenarioFileError) return [...error.issues];
    throw error;
  }
  throw new Error('the scenario was accepted');
}

const minimal = {
  name: 'minimal',
  start: '2026-03-02T09:00:00Z',
  actors: { counsellor: { role: 'counsellor', id: 'c-1', fundId: 'cpam-demo' } },
  steps: [{ at: '2026-03-02T09:00:00Z', as: 'counsellor', case: 'case-1', command: 'CompleteReview' }],
};

describe('the scenario schema', () => {
  it('given the example, when parsed, then it is accepted with its defaults filled', () => {
    const scenario = Scenario.parse(example());
    expect(scenario.seed).toBe(22);
    expect(scenario.steps).toHaveLength(24);
    expect(scenario.funds['cpam-22']?.welcomeLetterWithinDays).toBe(5);
  });

  it('given no funds and no seed, when parsed, then one fund cpam-demo with the default rules and seed 1', () => {
    const scenario = Scenario.parse(minimal);
    expect(scenario.funds).toEqual({ 'cpam-demo': null });
    expect(scenario.seed).toBe(1);
    expect(scenario.steps[0]?.data).toEqual({});
  });

  it("given a bad field in a step's payload, when parsed, then the error names the field's full path", () => {
    const document = example();
    const steps = Scenario.shape.steps.parse(document['steps']);
    const broken = structuredClone(steps);
    const first = broken[0];
    if (first?.command !== 'ReceiveReferral') throw new Error('the example starts with a referral');
    const payload: unknown = JSON.parse(JSON.stringify(first.data).replace('1990-05-17', '17/05/1990'));
    const issues = issuesOf({ ...document, steps: [{ ...first, data: payload }, ...broken.slice(1)] });
    expect(issues.map((issue) => issue.path)).toContain('steps.0.data.form.person.birthDate');
  });

  it('given an unknown command, an unknown key and a bad expectation, when parsed, then each is named', () => {
    const issues = issuesOf({
      ...minimal,
      colour: 'blue',
      steps: [
        { at: '2026-03-02T09:00:00Z', as: 'counsellor', case: 'case-1', command: 'FlyToTheMoon' },
        { at: '2026-03-02T09:00:00Z', as: 'counsellor', case: 'case-1', command: 'CompleteReview', expect: { state: 'flying' } },
      ],
    });
    const paths = issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['', 'steps.0.command', 'steps.1.expect.state']));
    expect(issues.find((issue) => issue.path === '')?.message).toContain('colour');
  });

  it('given a JSON file that says where its JSON Schema is, when parsed, then `$schema` is accepted and the scenario is the same one', () => {
    const located = Scenario.parse({ $schema: './node_modules/@misas/cli/schema/scenario.schema.json', ...minimal });
    const elsewhere = Scenario.parse({ $schema: '../schema/scenario.schema.json', ...minimal });
    const plain = Scenario.parse(minimal);
    // Same key, so the same command ids and event ids: where the schema lives is not content.
    expect(scenarioKeyOf(located)).toBe(scenarioKeyOf(plain));
    expect(scenarioKeyOf(elsewhere)).toBe(scenarioKeyOf(plain));
    // Any other change of content is another scenario.
    expect(scenarioKeyOf(Scenario.parse({ ...minimal, name: 'minimal, again' }))).not.toBe(scenarioKeyOf(plain));
    expect(issuesOf({ ...minimal, $schema: 42 }).map((issue) => issue.path)).toEqual(['$schema']);
  });

  it('given a step before the previous one, an unknown actor, no case and an unknown fund, when parsed, then each is named', () => {
    const issues = issuesOf({
      ...minimal,
      steps: [
        { at: '2026-03-02T10:00:00Z', as: 'counsellor', case: 'case-1', command: 'CompleteReview' },
        { at: '2026-03-02T09:00:00Z', as: 'nobody', command: 'CompleteReview' },
        { at: '2026-03-02T11:00:00Z', as: 'counsellor', case: 'case-2', command: 'RecordConsent', data: { decision: 'given', mode: 'phone' }, expect: { events: ['ConsentRecorded'], error: {} } },
      ],
    });
    const byPath = new Map(issues.map((issue) => [issue.path, issue.message]));
    expect(byPath.get('steps.1.at')).toContain('before the previous step');
    expect(byPath.get('steps.1.as')).toContain("unknown actor 'nobody'");
    expect(byPath.get('steps.1.case')).toContain('no case');
    expect(byPath.get('steps.2.expect.error')).toContain('both events and an error');
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])("given a step by actor '%s', never declared, when parsed, then it is an unknown actor", (name) => {
    const issues = issuesOf({ ...minimal, steps: [{ ...minimal.steps[0], as: name }] });
    expect(issues).toContainEqual({ path: 'steps.0.as', message: `unknown actor '${name}': declare it under \`actors\` (known: counsellor)` });
  });

  it('given a case id or a fund id that is no id, when parsed, then each is named with its rule', () => {
    const issues = issuesOf({ ...minimal, funds: { 'cpam\u0000demo': {} }, steps: [{ ...minimal.steps[0], case: '\uD800' }] });
    const byPath = new Map(issues.map((issue) => [issue.path, issue.message]));
    expect(byPath.get('funds.cpam\u0000demo')).toContain('U+0000');
    expect(byPath.get('steps.0.case')).toContain('lone surrogate U+D800');
  });

  it('given a referral to a fund the scenario does not declare, when parsed, then data.fundId is named', () => {
    const document = example();
    const issues = issuesOf({ ...document, funds: { 'cpam-29': {} } });
    expect(issues).toContainEqual({ path: 'steps.0.data.fundId', message: "unknown fund 'cpam-22': declare it under `funds` (known: cpam-29)" });
  });

  it('given text that is not YAML, when parsed, then the error names the file', () => {
    expect(() => parseScenarioText('name: [unclosed', 'yaml', 'broken.yaml')).toThrow(/broken\.yaml: invalid scenario\n {2}- \(root\): not valid YAML/);
  });
});
