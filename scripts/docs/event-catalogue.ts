/**
 * The event catalogue and the commands, rendered from the zod schemas the library validates
 * with, so the reference cannot disagree with what is accepted and stored.
 *
 * Types come from each schema's JSON Schema (zod 4's `toJSONSchema`); descriptions from the
 * event definitions and from the commands' `.meta({ description })`. Which events a command may
 * produce is read from the proposers in `decide.ts`, the one place that builds them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { CaseCommand, EventMetadata, eventDefinitions } from '@misas/core';

/** A JSON Schema node, read defensively: zod decides its exact shape. */
type JsonSchema = { readonly [keyword: string]: unknown };

/** One row of a payload table. */
export interface FieldRow {
  /** Dotted path below the payload: `referral.detector.kind`, `orientedTo[]`. */
  readonly name: string;
  readonly type: string;
  /** `yes`, `no`, or `no (default …)`. */
  readonly required: string;
  /** Union branches the field belongs to, outermost first, e.g. ``` `owner.kind` is `partner` ```. */
  readonly when: readonly string[];
  readonly description: string;
}

/** The sources the catalogue is generated from, repository-relative. */
export const eventCatalogueSources = [
  'packages/core/src/domain/events/catalogue.ts',
  'packages/core/src/domain/events/appointment-events.ts',
  'packages/core/src/domain/events/metadata.ts',
  'packages/core/src/domain/commands.ts',
  'packages/core/src/domain/appointment-commands.ts',
  'packages/core/src/domain/lifecycle/decide.ts',
  'packages/core/src/domain/lifecycle/appointment-proposers.ts',
] as const;

const decideSourceUrl = new URL('../../packages/core/src/domain/lifecycle/decide.ts', import.meta.url);
/** Proposer tables of their own that `decide.ts` spreads into its `proposers`: file, and the table's name. */
const spreadProposerTables = [
  { url: new URL('../../packages/core/src/domain/lifecycle/appointment-proposers.ts', import.meta.url), table: 'appointmentProposers' },
  { url: new URL('../../packages/core/src/domain/lifecycle/review-follow-up.ts', import.meta.url), table: 'reviewFollowUpProposers' },
] as const;

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function schemaList(value: unknown): JsonSchema[] {
  return Array.isArray(value) ? value.filter(isSchema) : [];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function numberAt(schema: JsonSchema, keyword: string): number | undefined {
  const value = schema[keyword];
  return typeof value === 'number' ? value : undefined;
}

function stringAt(schema: JsonSchema, keyword: string): string | undefined {
  const value = schema[keyword];
  return typeof value === 'string' ? value : undefined;
}

function code(value: unknown): string {
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

/** Follows a local `$ref` into the root's `$defs`; zod only emits those for shared or recursive schemas. */
function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = stringAt(schema, '$ref');
  if (ref === undefined) return schema;
  const match = /^#\/\$defs\/(.+)$/.exec(ref);
  const defs = root['$defs'];
  const target = match?.[1] !== undefined && isSchema(defs) ? defs[match[1]] : undefined;
  if (!isSchema(target)) throw new Error(`cannot resolve ${ref}`);
  return target;
}

function properties(schema: JsonSchema): Array<[string, JsonSchema]> {
  const props = schema['properties'];
  if (!isSchema(props)) return [];
  return Object.entries(props).filter((entry): entry is [string, JsonSchema] => isSchema(entry[1]));
}

function isObject(schema: JsonSchema): boolean {
  return schema['type'] === 'object';
}

/** The property whose `const` tells the branches of a union apart (zod's discriminated unions). */
function discriminator(branches: readonly JsonSchema[]): string | undefined {
  const first = branches[0];
  if (first === undefined || !branches.every(isObject)) return undefined;
  return properties(first)
    .map(([name]) => name)
    .find((name) =>
      branches.every((branch) => {
        const prop = properties(branch).find(([n]) => n === name)?.[1];
        return prop !== undefined && prop['const'] !== undefined && stringList(branch['required']).includes(name);
      }),
    );
}

function unionBranches(schema: JsonSchema): JsonSchema[] {
  return [...schemaList(schema['oneOf']), ...schemaList(schema['anyOf'])];
}

const safeIntegerBounds = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

function numberText(schema: JsonSchema, kind: string): string {
  const min = numberAt(schema, 'minimum');
  const max = numberAt(schema, 'maximum');
  const exclusiveMin = numberAt(schema, 'exclusiveMinimum');
  const exclusiveMax = numberAt(schema, 'exclusiveMaximum');
  // zod bounds every integer to the safe range; saying so on each field is noise.
  const upper = max !== undefined && !safeIntegerBounds.has(max) ? max : undefined;
  const lower = min !== undefined && !safeIntegerBounds.has(min) ? min : undefined;
  if (lower !== undefined && upper !== undefined) return `${kind} from ${lower} to ${upper}`;
  const bounds = [
    lower === undefined ? '' : `≥ ${lower}`,
    exclusiveMin === undefined ? '' : `> ${exclusiveMin}`,
    upper === undefined ? '' : `≤ ${upper}`,
    exclusiveMax === undefined ? '' : `< ${exclusiveMax}`,
  ].filter((b) => b !== '');
  return [kind, ...bounds].join(' ');
}

const formats: Readonly<Record<string, string>> = {
  date: 'day `YYYY-MM-DD`',
  'date-time': 'instant, ISO-8601 in UTC',
  email: 'email address',
};

function stringText(schema: JsonSchema): string {
  const format = stringAt(schema, 'format');
  if (format !== undefined) return formats[format] ?? `string (${format})`;
  const minLength = numberAt(schema, 'minLength');
  const maxLength = numberAt(schema, 'maxLength');
  const pattern = stringAt(schema, 'pattern');
  const base = minLength !== undefined && minLength > 0 ? 'non-empty string' : 'string';
  const limits = [maxLength === undefined ? '' : `at most ${maxLength} characters`, pattern === undefined ? '' : `matching ${code(pattern)}`];
  return [base, ...limits.filter((l) => l !== '')].join(', ');
}

/**
 * A schema as a short phrase. Objects and discriminated unions are only named here: their
 * fields get rows of their own.
 */
export function typeText(input: JsonSchema, root: JsonSchema = input): string {
  const schema = resolve(input, root);
  // zod renders `z.never()` as `{ not: {} }`: a field declared only to be refused.
  if (isSchema(schema['not']) && Object.keys(schema['not']).length === 0) return 'never allowed';
  if (schema['const'] !== undefined) return code(schema['const']);
  if (Array.isArray(schema['enum'])) return `one of ${schema['enum'].map(code).join(', ')}`;
  const branches = unionBranches(schema);
  if (branches.length > 0) {
    const nonNull = branches.filter((b) => b['type'] !== 'null');
    const orNull = nonNull.length < branches.length ? ' or null' : '';
    const tag = discriminator(nonNull.map((b) => resolve(b, root)));
    if (tag !== undefined) {
      const values = nonNull.map((b) => properties(resolve(b, root)).find(([n]) => n === tag)?.[1]['const']);
      return `one of, by ${code(tag)}: ${values.map(code).join(', ')}${orNull}`;
    }
    if (nonNull.length === 1 && nonNull[0] !== undefined) return `${typeText(nonNull[0], root)}${orNull}`;
    return `one of: ${nonNull.map((b) => typeText(b, root)).join('; ')}${orNull}`;
  }
  const allOf = schemaList(schema['allOf']);
  if (allOf.length > 0) return `all of: ${allOf.map((b) => typeText(b, root)).join('; ')}`;
  switch (schema['type']) {
    case 'string':
      return stringText(schema);
    case 'integer':
      return numberText(schema, 'integer');
    case 'number':
      return numberText(schema, 'number');
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const items = isSchema(schema['items']) ? resolve(schema['items'], root) : undefined;
      const minItems = numberAt(schema, 'minItems');
      const values = items !== undefined && Array.isArray(items['enum']) ? items['enum'] : undefined;
      const parts = [
        values !== undefined
          ? `list of values from ${values.map(code).join(', ')}`
          : `list of ${items === undefined ? 'anything' : isObject(items) ? 'objects' : typeText(items, root)}`,
        minItems !== undefined && minItems > 0 ? `at least ${minItems}` : '',
        schema['uniqueItems'] === true ? 'no duplicates' : '',
      ];
      return parts.filter((p) => p !== '').join('; ');
    }
    case 'object':
      return properties(schema).length === 0 ? 'empty object' : 'object';
    default:
      return 'any value';
  }
}

function descriptionOf(schema: JsonSchema): string {
  const title = stringAt(schema, 'title');
  const description = stringAt(schema, 'description');
  return [title === undefined ? '' : `*${title}*`, description ?? ''].filter((p) => p !== '').join(': ');
}

/**
 * The payload of an object schema as rows, nested objects and union branches flattened into
 * dotted names so that no field is hidden in a summary.
 */
export function fieldRows(input: JsonSchema, root: JsonSchema = input, prefix = ''): FieldRow[] {
  const schema = resolve(input, root);
  const required = new Set(stringList(schema['required']));
  return properties(schema).flatMap(([name, propertySchema]) => {
    const prop = resolve(propertySchema, root);
    const path = `${prefix}${name}`;
    const fallback = prop['default'] === undefined ? 'no' : `no (default ${code(prop['default'])})`;
    const row: FieldRow = {
      name: path,
      type: typeText(prop, root),
      required: required.has(name) ? 'yes' : fallback,
      when: [],
      description: descriptionOf(propertySchema === prop ? prop : { ...prop, ...propertySchema }),
    };
    return [row, ...nestedRows(prop, root, path)];
  });
}

function rowKey(row: FieldRow): string {
  return JSON.stringify([row.name, row.type, row.required, row.when, row.description]);
}

function nestedRows(prop: JsonSchema, root: JsonSchema, path: string): FieldRow[] {
  if (isObject(prop)) return fieldRows(prop, root, `${path}.`);
  if (prop['type'] === 'array' && isSchema(prop['items'])) {
    const items = resolve(prop['items'], root);
    return isObject(items) ? fieldRows(items, root, `${path}[].`) : nestedRows(items, root, `${path}[]`);
  }
  const branches = unionBranches(prop)
    .map((b) => resolve(b, root))
    .filter((b) => b['type'] !== 'null');
  const tag = discriminator(branches);
  if (tag === undefined) return branches.filter(isObject).flatMap((b) => fieldRows(b, root, `${path}.`));

  // A field the same in every branch is shown once; the others say which branches have them.
  const perBranch = branches.map((b) => {
    const value = properties(b).find(([n]) => n === tag)?.[1]['const'];
    const rest = { ...b, properties: Object.fromEntries(properties(b).filter(([n]) => n !== tag)) };
    return { value, rows: fieldRows(rest, root, `${path}.`) };
  });
  const merged = new Map<string, { row: FieldRow; values: unknown[] }>();
  for (const { value, rows } of perBranch) {
    for (const row of rows) {
      const entry = merged.get(rowKey(row)) ?? { row, values: [] };
      entry.values.push(value);
      merged.set(rowKey(row), entry);
    }
  }
  return [...merged.values()].map(({ row, values }) =>
    values.length === perBranch.length
      ? row
      : { ...row, when: [`${code(`${path}.${tag}`)} is ${values.map(code).join(' or ')}`, ...row.when] },
  );
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function fieldTable(rows: readonly FieldRow[]): string[] {
  const described = rows.some((r) => r.description !== '');
  const header = described ? ['Field', 'Type', 'Required', 'Meaning'] : ['Field', 'Type', 'Required'];
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => {
      const required = [r.required, ...r.when.map((w) => `when ${w}`)].join(', ');
      const cells = [code(r.name), r.type, required, ...(described ? [r.description] : [])];
      return `| ${cells.map(cell).join(' | ')} |`;
    }),
  ];
}

/** Unwraps `x as T`, `x satisfies T` and parentheses around an expression. */
function unwrap(node: ts.Expression): ts.Expression {
  if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)) return unwrap(node.expression);
  return node;
}

/**
 * For each command type, the event types `decide` may propose for it, every branch included
 * (a conditional follow-up such as a closure or a detector notice counts). Read from the
 * `proposers` table of `decide.ts`, following the file's own helpers (`closing`, …), and
 * refused loudly if that table cannot be found or misses a command.
 */
export function commandEventTypes(source: string = readFileSync(fileURLToPath(decideSourceUrl), 'utf8')): ReadonlyMap<string, readonly string[]> {
  const result = new Map(proposerTableEventTypes(source, 'decide.ts', 'proposers'));
  // A table spread into `proposers` (`...appointmentProposers`) is read from its own file.
  for (const spread of spreadProposerTables) {
    const fileName = fileURLToPath(spread.url);
    for (const [type, events] of proposerTableEventTypes(readFileSync(fileName, 'utf8'), fileName.split('/').at(-1) ?? fileName, spread.table)) result.set(type, events);
  }
  for (const command of CaseCommand.options) {
    const type = command.shape.type.value;
    const produced = result.get(type);
    if (produced === undefined || produced.length === 0) {
      throw new Error(`decide.ts: no event found for command ${type}: update scripts/docs/event-catalogue.ts`);
    }
  }
  return result;
}

/** The event types each proposer of the object literal `tableName` of `source` builds; spread entries are skipped. */
function proposerTableEventTypes(source: string, fileName: string, tableName: string): ReadonlyMap<string, readonly string[]> {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const eventTypes: readonly string[] = eventDefinitions.map((d) => d.type);
  const topLevel = new Map<string, ts.Node>();
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) topLevel.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) topLevel.set(declaration.name.text, declaration);
      }
    }
  }

  const proposers = topLevel.get(tableName);
  const table = proposers !== undefined && ts.isVariableDeclaration(proposers) && proposers.initializer !== undefined ? unwrap(proposers.initializer) : undefined;
  if (table === undefined || !ts.isObjectLiteralExpression(table)) {
    throw new Error(`${fileName} no longer has a \`${tableName}\` object literal: update scripts/docs/event-catalogue.ts`);
  }

  /** Event types built by `node`, following references to the file's top-level helpers. */
  const collect = (node: ts.Node, found: Set<string>, visited: Set<ts.Node>): void => {
    if (ts.isPropertyAssignment(node)) {
      const initializer = node.initializer;
      if (ts.isIdentifier(node.name) && node.name.text === 'type' && ts.isStringLiteralLike(initializer) && eventTypes.includes(initializer.text)) {
        found.add(initializer.text);
      }
      collect(initializer, found, visited);
      return;
    }
    if (ts.isPropertyAccessExpression(node)) {
      collect(node.expression, found, visited);
      return;
    }
    if (ts.isIdentifier(node)) {
      const helper = topLevel.get(node.text);
      if (helper !== undefined && helper !== proposers && !visited.has(helper)) {
        visited.add(helper);
        collect(helper, found, visited);
      }
      return;
    }
    ts.forEachChild(node, (child) => collect(child, found, visited));
  };

  const result = new Map<string, readonly string[]>();
  for (const property of table.properties) {
    if (ts.isSpreadAssignment(property)) continue;
    const name = property.name;
    if (name === undefined || !(ts.isIdentifier(name) || ts.isStringLiteral(name))) {
      throw new Error(`${fileName}: a proposer has a computed name: update scripts/docs/event-catalogue.ts`);
    }
    const found = new Set<string>();
    collect(property, found, new Set());
    result.set(name.text, eventTypes.filter((type) => found.has(type)));
  }
  return result;
}

function objectSchema(schema: { toJSONSchema(params?: { io?: 'input' | 'output' }): object }, io: 'input' | 'output'): JsonSchema {
  const json: unknown = schema.toJSONSchema({ io });
  if (!isSchema(json)) throw new Error('zod returned a JSON Schema that is not an object');
  return json;
}

function payloadLines(rows: readonly FieldRow[]): string[] {
  return rows.length === 0 ? ['No payload: `data` is `{}`.'] : fieldTable(rows);
}

/** `docs/events.md`: the metadata envelope, every event with its payload, every command. */
export function eventCatalogueMarkdown(): string {
  const lines: string[] = [
    '# Events and commands',
    '',
    `> Generated by \`pnpm docs:generate\` from ${eventCatalogueSources.map((s) => `\`${s}\``).join(', ')} — do not edit.`,
    '',
    'Events are the facts of a case, named in the past tense; a case is nothing but its stream of events.',
    'They never hold personal data: identity, contact details, the NIR and free text live in the',
    'personal-data vault under `subjectRef` or `noteId`. Commands are what a user of the library sends;',
    '`decide` turns an accepted command into events, and the lifecycle (see `lifecycle.md`) says in which',
    'state each event may happen.',
    '',
    '## Metadata envelope',
    '',
    'Every stored event is `{ type, data, meta }`. `data` is the payload of its type, below; `meta` is the',
    'same for every type:',
    '',
    ...fieldTable(fieldRows(objectSchema(EventMetadata, 'output'))),
    '',
    '## Events',
    '',
    ...eventDefinitions.map((d) => `- [${d.type}](#${d.type.toLowerCase()})`),
    '',
  ];

  for (const definition of eventDefinitions) {
    lines.push(
      `### ${definition.type}`,
      '',
      definition.description,
      '',
      `Schema version: ${definition.schemaVersion}.`,
      '',
      ...payloadLines(fieldRows(objectSchema(definition.data, 'output'))),
      '',
    );
  }

  const produced = commandEventTypes();
  const commands = CaseCommand.options;
  const envelopeOf = (command: (typeof commands)[number]): JsonSchema => {
    const json = objectSchema(command, 'input');
    const props = Object.fromEntries(properties(json).filter(([name]) => name !== 'type' && name !== 'data'));
    // Only the fields: the command's own description and `$schema` are not part of the envelope.
    return { type: 'object', properties: props, required: stringList(json['required']).filter((n) => n !== 'type' && n !== 'data') };
  };
  const first = commands[0];
  const envelope = envelopeOf(first);
  for (const command of commands) {
    if (JSON.stringify(envelopeOf(command)) !== JSON.stringify(envelope)) {
      throw new Error(`command ${command.shape.type.value} has an envelope of its own: the catalogue documents one for all`);
    }
  }

  lines.push(
    '## Commands',
    '',
    'A command is `{ type, data, …envelope }`, validated by `CaseCommand` (fields with a default may be',
    'left out). The events a command may produce are read from `decide.ts`, every branch included: some',
    'follow only from the case’s facts or the fund’s policy (a closure after too many failed contact',
    'attempts, a welcome letter after remote consent, a redirection for a complex social situation).',
    '',
    'Envelope, the same for every command:',
    '',
    ...fieldTable(fieldRows(envelope)),
    '',
    ...commands.map((c) => `- [${c.shape.type.value}](#${c.shape.type.value.toLowerCase()})`),
    '',
  );

  for (const command of commands) {
    const type = command.shape.type.value;
    const description = command.meta()?.description;
    if (description === undefined) throw new Error(`command ${type} has no .meta({ description })`);
    const data = properties(objectSchema(command, 'input')).find(([name]) => name === 'data')?.[1];
    if (data === undefined) throw new Error(`command ${type} has no data`);
    const events = produced.get(type) ?? [];
    lines.push(
      `### ${type}`,
      '',
      description,
      '',
      `May produce: ${events.map((e) => `[${e}](#${e.toLowerCase()})`).join(', ')}.`,
      '',
      ...payloadLines(fieldRows(data, objectSchema(command, 'input'))),
      '',
    );
  }

  return `${lines.join('\n').trimEnd()}\n`;
}
