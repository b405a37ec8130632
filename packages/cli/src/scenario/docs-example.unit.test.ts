import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createInMemoryStorage } from '@misas/core';
import { exampleScenario, repositoryPath } from '../testing/capture.ts';
import { loadScenarioFile } from './parse.ts';
import { playScenario } from './play.ts';

describe('the example of docs/scenarios.md', () => {
  it('given the doc, when its YAML block is read, then it is the example file, verbatim', () => {
    const doc = readFileSync(repositoryPath('docs/scenarios.md'), 'utf8');
    const quoted = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(quoted).toBe(readFileSync(exampleScenario, 'utf8'));
  });

  it('given the example file, when played on an empty store, then every expectation holds and the case is closed', async () => {
    const result = await playScenario(await loadScenarioFile(exampleScenario), { storage: createInMemoryStorage() });
    expect(result.steps.flatMap((step) => step.failures)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.cases).toEqual([{ caseId: 'case-lou', state: 'closed', version: 25 }]);
    expect(result.indicators.overall.rightsShare.value).toBe(1);
  });
});
