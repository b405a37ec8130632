/**
 * Reading scenario files: JSON or YAML by extension, then the `Scenario` schema. Every failure is
 * a `ScenarioFileError` naming the file and, for a schema error, the path of each bad field.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { Scenario } from './schema.ts';

/** One bad field of a scenario: its dotted path (`steps.2.data.reason`) and what is wrong. */
export interface ScenarioIssue {
  readonly path: string;
  readonly message: string;
}

/** A scenario file that cannot be read, parsed or validated. Nothing was played. */
export class ScenarioFileError extends Error {
  readonly file: string;
  readonly issues: readonly ScenarioIssue[];
  constructor(file: string, issues: readonly ScenarioIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`);
    super(`${file}: invalid scenario\n${lines.join('\n')}`);
    this.name = 'ScenarioFileError';
    this.file = file;
    this.issues = issues;
  }
}

/** Aliases a YAML scenario may expand: plenty for shared blocks of steps, far too few for an alias bomb. */
export const maxYamlAliases = 100;

/** The syntax a scenario is written in. */
export type ScenarioFormat = 'json' | 'yaml';

/** The format a file's extension says: `.json`, or `.yaml` / `.yml`. */
export function formatOfFile(file: string): ScenarioFormat | undefined {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return undefined;
}

/** A bad key of a record (a fund id) says why, rather than zod's "Invalid key in record". */
function messageOf(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
}

function issuesOf(error: z.ZodError): ScenarioIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: messageOf(issue) }));
}

/** Parses the text of a scenario. `source` names it in errors (a file path). */
export function parseScenarioText(text: string, format: ScenarioFormat, source: string): Scenario {
  let document: unknown;
  try {
    // `maxAliasCount` stops a "billion laughs" file (aliases of aliases) before it expands: yaml
    // then throws a ReferenceError, which is a bad file like any syntax error.
    document = format === 'json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: maxYamlAliases });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScenarioFileError(source, [{ path: '', message: `not valid ${format.toUpperCase()}: ${reason}` }]);
  }
  const parsed = Scenario.safeParse(document);
  if (!parsed.success) throw new ScenarioFileError(source, issuesOf(parsed.error));
  return parsed.data;
}

/** Reads and parses a scenario file (`.json`, `.yaml` or `.yml`). */
export async function loadScenarioFile(file: string): Promise<Scenario> {
  const format = formatOfFile(file);
  if (format === undefined) throw new ScenarioFileError(file, [{ path: '', message: 'unknown extension: name the file .json, .yaml or .yml' }]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : `cannot read it (${String(error)})`;
    throw new ScenarioFileError(file, [{ path: '', message: reason }]);
  }
  return parseScenarioText(text, format, file);
}
