import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseCommand, commandGrants, personalDataQueries, QueryName, queryGrants, type Grant } from '@misas/core';
import { repositoryRoot } from '../generate-docs.ts';
import { accessPolicyMarkdown, accessPolicyMarkers, roles, withAccessPolicySection } from './access-policy.ts';

const section = accessPolicyMarkdown();

/** The table rows of the section whose first cell is one of `names`, read back as role → scopes. */
function tableOf(names: readonly string[]): Map<string, Map<string, string[]>> {
  const table = new Map<string, Map<string, string[]>>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    const name = cells[0]?.replaceAll('`', '');
    if (name === undefined || !names.includes(name)) continue;
    expect(table.has(name), `${name} has one row`).toBe(false);
    const byRole = new Map<string, string[]>();
    roles().forEach((role, index) => {
      const cell = cells[index + 1] ?? '';
      byRole.set(role, cell === '—' ? [] : cell.split(', ').map((scope) => scope.replaceAll('`', '')));
    });
    table.set(name, byRole);
  }
  return table;
}

function scopesOf(grants: readonly Grant[], role: string): string[] {
  return grants.filter((grant) => grant.role === role).map((grant) => grant.scope);
}

describe('the access-policy section of docs/privacy.md', () => {
  it('has a column per role and reads back, command by command, as the grants authorize() reads', () => {
    expect(roles()).toEqual(['detector', 'counsellor', 'supervisor', 'data-protection-officer', 'auditor', 'partner', 'national-analyst', 'national-auditor', 'system']);
    const commands = CaseCommand.options.map((option) => option.shape.type.value);
    const table = tableOf(commands);
    expect([...table.keys()]).toEqual(commands);
    for (const command of commands) {
      for (const role of roles()) expect(table.get(command)?.get(role), `${command} × ${role}`).toEqual(scopesOf(commandGrants[command], role));
    }
  });

  it('reads back, query by query, as the grants, and marks the queries that return personal data', () => {
    const table = tableOf(QueryName.options);
    expect([...table.keys()]).toEqual(QueryName.options);
    for (const query of QueryName.options) {
      for (const role of roles()) expect(table.get(query)?.get(role), `${query} × ${role}`).toEqual(scopesOf(queryGrants[query], role));
      const line = section.split('\n').find((l) => l.startsWith(`| \`${query}\` |`));
      expect(line, query).toMatch(personalDataQueries.has(query) ? / \| yes \|$/ : / \| no \|$/);
    }
  });

  it('explains every scope it uses', () => {
    const used = new Set([...Object.values(commandGrants), ...Object.values(queryGrants)].flat().map((grant) => grant.scope));
    for (const scope of used) expect(section).toContain(`- \`${scope}\`: `);
  });

  it('replaces only what lies between the markers, and refuses a page without them', () => {
    const page = `# Title\n\nBefore.\n\n${accessPolicyMarkers.start}\nstale\n${accessPolicyMarkers.end}\n\nAfter.\n`;
    expect(withAccessPolicySection(page)).toBe(`# Title\n\nBefore.\n\n${section}\n\nAfter.\n`);
    expect(withAccessPolicySection(withAccessPolicySection(page))).toBe(withAccessPolicySection(page));
    expect(() => withAccessPolicySection('# no markers')).toThrow('markers');
    expect(() => withAccessPolicySection(`${accessPolicyMarkers.end}\n${accessPolicyMarkers.start}`)).toThrow('markers');
  });

  it('is in docs/privacy.md as the code renders it now (run `pnpm docs:generate` after changing the grants)', () => {
    expect(readFileSync(join(repositoryRoot, 'docs/privacy.md'), 'utf8')).toContain(section);
  });
});
