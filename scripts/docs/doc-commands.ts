/**
 * The shell commands the docs show, read from their fenced blocks: `sh`/`bash`/`shell` blocks are
 * commands alone (one a line, `# comments` dropped), `console` blocks are `$ command` lines each
 * followed by the output it prints. doc-commands.int.test.ts runs every one of them, except those
 * doc-command-table.ts marks as not runnable here; so a doc cannot show a command no test runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The languages of the fenced blocks whose lines are shell commands. */
const shellLanguages = new Set(['sh', 'bash', 'shell', 'console']);

/** One command a doc shows. */
export interface DocCommand {
  /** The doc, relative to the repository root. */
  readonly doc: string;
  /** 1-based line of the command in the doc. */
  readonly line: number;
  /** The command as written, without its trailing comment. */
  readonly command: string;
  /** The output a `console` block shows after it (lines joined by `\n`), `null` in a block of commands alone. */
  readonly output: string | null;
}

/** The docs whose commands are checked: the README, docs/*.md and each package's README. */
export function docFiles(root: string): string[] {
  const inDir = (dir: string) =>
    readdirSync(join(root, dir))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `${dir}/${name}`);
  const packages = readdirSync(join(root, 'packages'))
    .sort()
    .map((name) => `packages/${name}/README.md`)
    .filter((path) => {
      try {
        readFileSync(join(root, path));
        return true;
      } catch {
        return false;
      }
    });
  return ['README.md', ...inDir('docs'), ...packages];
}

/** A line without its trailing `# comment` (a `#` after whitespace, outside quotes). */
export function withoutComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote !== null) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/** The commands of one doc's text, in order. */
export function docCommands(doc: string, markdown: string): DocCommand[] {
  const lines = markdown.split('\n');
  const commands: DocCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)\s*$/.exec(lines[i] ?? '');
    if (!fence) continue;
    const language = fence[1] ?? '';
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) end++;
    if (shellLanguages.has(language)) {
      const body = lines.slice(i + 1, end);
      commands.push(...(language === 'console' ? consoleCommands(doc, body, i + 2) : plainCommands(doc, body, i + 2)));
    }
    i = end;
  }
  return commands;
}

function plainCommands(doc: string, body: readonly string[], firstLine: number): DocCommand[] {
  const commands: DocCommand[] = [];
  for (let j = 0; j < body.length; j++) {
    let command = withoutComment(body[j] ?? '');
    const line = firstLine + j;
    // A line ending with a backslash goes on.
    while (command.endsWith('\\') && j + 1 < body.length) command = `${command.slice(0, -1).trimEnd()} ${withoutComment(body[++j] ?? '').trim()}`;
    if (command.trim() !== '') commands.push({ doc, line, command: command.trim(), output: null });
  }
  return commands;
}

function consoleCommands(doc: string, body: readonly string[], firstLine: number): DocCommand[] {
  const commands: DocCommand[] = [];
  for (let j = 0; j < body.length; j++) {
    const text = body[j] ?? '';
    if (!text.startsWith('$ ')) {
      if (commands.length === 0 && text.trim() !== '') throw new Error(`${doc}:${firstLine + j}: a console block starts with a '$ ' command line`);
      continue;
    }
    let end = j + 1;
    while (end < body.length && !(body[end] ?? '').startsWith('$ ')) end++;
    commands.push({ doc, line: firstLine + j, command: withoutComment(text.slice(2)).trim(), output: body.slice(j + 1, end).join('\n').replace(/\n+$/, '') });
    j = end - 1;
  }
  return commands;
}

/** Every command of every doc. */
export function allDocCommands(root: string): DocCommand[] {
  return docFiles(root).flatMap((doc) => docCommands(doc, readFileSync(join(root, doc), 'utf8')));
}

/**
 * The pieces of a command line joined by `&&`, `||` or `;` (outside quotes and `$(…)`): each is
 * looked up in the table on its own, so that `install && example diego` runs the second.
 */
export function commandPieces(command: string): string[] {
  const pieces: string[] = [];
  let current = '';
  let quote: string | null = null;
  let depth = 0;
  for (let i = 0; i < command.length; i++) {
    const char = command[i] ?? '';
    if (quote !== null) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0 && (command.startsWith('&&', i) || command.startsWith('||', i) || char === ';')) {
      pieces.push(current.trim());
      current = '';
      if (char !== ';') i++;
      continue;
    }
    current += char;
  }
  pieces.push(current.trim());
  return pieces.filter((piece) => piece !== '');
}

/**
 * Why a command would write pnpm's banner (`> misas@ misas /path` and the script line) into what
 * it hands on: its output is redirected or piped, or captured, and pnpm is not told `-s`/`--silent`.
 * `null` when it is fine.
 */
export function pnpmBannerProblem(command: string): string | null {
  for (const piece of commandPieces(command)) {
    const pnpm = /(?:^|\s|\$\()(?:npx -y pnpm@10|pnpm)((?:\s+-[-\w]+)*)\s+(?!exec\b)([\w:-]+)/.exec(piece);
    if (!pnpm) continue;
    const flags = (pnpm[1] ?? '').trim().split(/\s+/);
    const silent = flags.includes('-s') || flags.includes('--silent');
    const handsOn = /(^|[^2&])>|\|/.test(piece.slice(pnpm.index)) || /\$\(\s*(npx -y pnpm@10|pnpm)/.test(piece);
    if (handsOn && !silent) return `pnpm writes its banner into the output it hands on: write \`pnpm -s ${pnpm[2] ?? ''} …\``;
  }
  return null;
}
