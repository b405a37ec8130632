import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { captureCli, exampleScenario } from '../testing/capture.ts';

const scratch = mkdtempSync(join(tmpdir(), 'misas-run-'));

/** Writes a copy of the example scenario, changed by `edit`, as YAML or JSON. */
function variantOf(name: string, edit: (text: string) => string = (text) => text): string {
  const path = join(scratch, name);
  const yaml = edit(readFileSync(exampleScenario, 'utf8'));
  const parsed: unknown = parseYaml(yaml);
  writeFileSync(path, name.endsWith('.json') ? JSON.stringify(parsed, null, 2) : yaml);
  return path;
}

/** The part of `--json` a test reads, checked rather than assumed. */
const RunJson = z.object({
  ok: z.boolean(),
  scenarios: z.array(
    z.object({
      file: z.string(),
      name: z.string(),
      ok: z.boolean(),
      steps: z.array(
        z.object({
          step: z.number(),
          command: z.string(),
          events: z.array(z.object({ type: z.string(), description: z.string() })),
          state: z.string().nullable(),
          error: z.object({ code: z.string(), rule: z.string().nullable(), message: z.string() }).nullable(),
          ok: z.boolean(),
          failures: z.array(z.string()),
        }),
      ),
      cases: z.array(z.object({ caseId: z.string(), state: z.string().nullable(), version: z.number() })),
      indicators: z.object({ period: z.object({ from: z.string(), to: z.string() }), overall: z.object({ referred: z.number() }).loose() }).loose(),
    }),
  ),
});

describe('misas run', () => {
  it('given the example scenario, when run, then it prints the timeline and exits 0', async () => {
    const run = await captureCli(['run', exampleScenario]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('consent given (phone); sharing with: none');
    expect(run.out).toContain('case-lou: closed (25 events)');
    expect(run.out).toContain('✓ every expectation held (24 steps)');
  });

  it('given a step whose expectation does not hold, when run, then it exits 1 naming the file and the step', async () => {
    const file = variantOf('wrong-state.yaml', (text) => text.replace('expect: { events: [NeedsIdentified], state: planning }', 'expect: { events: [NeedsIdentified], state: accompaniment }'));
    const run = await captureCli(['run', file]);
    expect(run.code).toBe(1);
    expect(run.out).toContain("✗ step 18 (as counsellor, IdentifyNeeds): expected state 'accompaniment', found 'planning'");
    expect(run.err).toContain(`${file}: step 18 (as counsellor, IdentifyNeeds): expected state 'accompaniment', found 'planning'`);
  });

  it('given a step that fails without expecting it, when run, then the failure names the error', async () => {
    const file = variantOf('unexpected-error.yaml', (text) => text.replace('expect: { error: { code: command-rejected, rule: allowed-in-state } }', ''));
    const run = await captureCli(['run', file]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('step 16 (as counsellor, AgreePlan): expected the command to succeed, but it failed with command-rejected (rule allowed-in-state)');
  });

  it('given --json, when run, then the output parses and holds the steps, events, errors, final states and indicators', async () => {
    const run = await captureCli(['run', '--json', exampleScenario]);
    expect(run.code).toBe(0);
    const report = RunJson.parse(JSON.parse(run.out));
    const [scenario] = report.scenarios;
    expect(report.ok).toBe(true);
    expect(scenario?.cases).toEqual([{ caseId: 'case-lou', state: 'closed', version: 25 }]);
    expect(scenario?.steps[1]?.error).toMatchObject({ code: 'access-denied', rule: 'role-not-permitted' });
    expect(scenario?.steps[0]?.events.map((event) => event.type)).toEqual(['ReferralReceived']);
    expect(scenario?.indicators.period).toEqual({ from: '2026-03-02', to: '2026-04-02' });
    expect(scenario?.indicators.overall['referred']).toBe(1);
  });

  it('given the same scenario in YAML and in JSON, when run, then the results are the same', async () => {
    const fromYaml = await captureCli(['run', '--json', variantOf('same.yaml')]);
    const fromJson = await captureCli(['run', '--json', variantOf('same.json')]);
    const withoutFile = (out: string) => RunJson.parse(JSON.parse(out)).scenarios.map(({ file: _file, ...rest }) => rest);
    expect(withoutFile(fromJson.out)).toEqual(withoutFile(fromYaml.out));
  });

  it('given the same scenario twice, when run, then the output is identical, byte for byte', async () => {
    const first = await captureCli(['run', '--json', exampleScenario]);
    const second = await captureCli(['run', '--json', exampleScenario]);
    expect(second.out).toBe(first.out);
    expect((await captureCli(['run', exampleScenario])).out).toBe((await captureCli(['run', exampleScenario])).out);
  });

  it('given an invalid file among valid ones, when run, then nothing is played and it exits 2 naming the file and field', async () => {
    const file = variantOf('bad-field.yaml', (text) => text.replace('detectionMode: phone', 'detectionMode: pigeon'));
    const run = await captureCli(['run', exampleScenario, file]);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toContain(`${file}: invalid scenario`);
    expect(run.err).toContain('steps.0.data.form.detectionMode');
  });

  it('given a missing file, an unknown extension or an unknown option, when run, then it exits 2', async () => {
    expect((await captureCli(['run', join(scratch, 'nowhere.yaml')])).err).toContain('nowhere.yaml: invalid scenario\n  - (root): no such file');
    expect((await captureCli(['run', join(scratch, 'notes.txt')])).code).toBe(2);
    const unknownOption = await captureCli(['run', '--colour', exampleScenario]);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.err).toContain("unknown option '--colour'");
  });

  it('given --help, when asked, then it says the default store and exits 0', async () => {
    const help = await captureCli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('(default: "memory:")');
  });
});
