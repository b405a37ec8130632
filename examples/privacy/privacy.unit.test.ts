import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printed } from '../shared/printed.ts';
import { main } from './main.ts';

const privacyDoc = () => readFileSync(new URL('../../docs/privacy.md', import.meta.url), 'utf8');

describe('the privacy example', () => {
  it('shows consent scope, the partner view, a denial, the export, erasure and the audit trail', async () => {
    const lines = await printed(main);
    expect(lines).toContain('share with the MDPH: partner-sharing-consented');
    expect(lines).toContain('partner sees: {"firstName":"Lou","lastName":"Durand","phone":"06 12 34 56 78"}');
    expect(lines).toContain('another fund: case-not-found');
    expect(lines.some((line) => line.startsWith('# Your data at the Mission accompagnement santé\n'))).toBe(true);
    expect(lines).toContain('after erasure: erased');
    expect(lines.slice(-5)).toEqual([
      'detector ReceiveReferral allowed true',
      'partner partner-referrals allowed true',
      'counsellor case-detail denied false',
      'data-protection-officer person-export allowed true',
      'data-protection-officer person-export allowed true',
    ]);
  });

  it('never prints the NIR, and prints the same at every run', async () => {
    const first = await printed(main);
    expect(first.join('\n')).not.toContain('189047512345655');
    expect(await printed(main)).toEqual(first);
  });

  it('is quoted verbatim in docs/privacy.md with its output, so the page cannot drift from tested code', async () => {
    const source = readFileSync(new URL('./main.ts', import.meta.url), 'utf8').trim();
    const doc = privacyDoc();
    expect(doc).toContain(`\`\`\`ts\n${source}\n\`\`\``);
    expect(doc).toContain(`It prints:\n\n\`\`\`text\n${(await printed(main)).join('\n')}\n\`\`\``);
  });
});
