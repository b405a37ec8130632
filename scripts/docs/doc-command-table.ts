/**
 * Which doc commands doc-commands.int.test.ts runs, and how. Every command a doc shows is run,
 * rewritten to the CLI from source (`pnpm misas …`, `npx misas …` → `node --conditions=@misas/source
 * packages/cli/src/main.ts …`), except the pieces listed in `notRunHere`, each with the reason and
 * the test or CI step that covers it instead. A new doc command is therefore run, or the test
 * fails until it is listed here.
 */
import { commandPieces, type DocCommand } from './doc-commands.ts';

/** A command piece the doc test does not run, and why. */
export interface NotRunHere {
  /** The piece exactly as the doc writes it (between `&&`, `||` and `;`). */
  readonly piece: string;
  readonly why: string;
  /** The file that runs or checks it instead, relative to the repository root. */
  readonly coveredBy: string;
}

const fromRegistry = 'installs from the npm registry: the consumer check installs the packed tarballs the same way and runs them';

/** The pieces not run here. */
export const notRunHere: readonly NotRunHere[] = [
  { piece: 'npx -y pnpm@10 install', why: 'installs the workspace: every test runs after it', coveredBy: '.ci/run' },
  { piece: 'npx -y pnpm@10 test', why: 'the whole test suite, this test included', coveredBy: '.ci/run' },
  { piece: 'eval "$(bash .ci/start-postgres.sh)"', why: 'installs and starts a PostgreSQL cluster (root, minutes)', coveredBy: '.ci/run' },
  { piece: 'npx -y pnpm@10 exec vitest run --project int attack', why: 'a run of the attack tests, which the suite runs', coveredBy: 'vitest.config.ts' },
  { piece: 'npm install @misas/core @misas/adapters @misas/service', why: fromRegistry, coveredBy: '.ci/consumer-check.sh' },
  { piece: 'npm install @misas/cli', why: fromRegistry, coveredBy: '.ci/consumer-check.sh' },
  { piece: 'npm install @misas/core @misas/adapters', why: fromRegistry, coveredBy: '.ci/consumer-check.sh' },
  { piece: 'npm install @misas/core', why: fromRegistry, coveredBy: '.ci/consumer-check.sh' },
  { piece: 'npm install @misas/core @misas/projections', why: fromRegistry, coveredBy: '.ci/consumer-check.sh' },
  { piece: 'npm install @misas/report', why: fromRegistry, coveredBy: '.ci/consumer-check.sh' },
  { piece: 'npm install @misas/cli @misas/report', why: fromRegistry, coveredBy: '.ci/consumer-check.sh' },
  { piece: 'npm install @misas/adapters @misas/report', why: fromRegistry, coveredBy: '.ci/consumer-check.sh' },
  {
    piece: 'npx misas report --store sqlite:./misas.db',
    why: "the report of a team's store, after installing from npm: the consumer check runs the installed misas report with @misas/report",
    coveredBy: '.ci/consumer-check.sh',
  },
  { piece: 'npx -y pnpm@10 bench', why: 'minutes of measurement', coveredBy: 'bench/src/bench.smoke.int.test.ts' },
  { piece: 'npx -y pnpm@10 bench --json', why: 'minutes of measurement, and it rewrites bench/results.json', coveredBy: 'bench/src/bench.smoke.int.test.ts' },
  { piece: 'npx -y pnpm@10 bench --only rehydrate,rebuild --repetitions 3', why: 'a minute of measurement', coveredBy: 'bench/src/bench.smoke.int.test.ts' },
  { piece: 'npx -y pnpm@10 bench --quick', why: 'the smoke run of every suite, run by its own test', coveredBy: 'bench/src/bench.smoke.int.test.ts' },
  {
    piece: 'pnpm exec node --conditions=@misas/source packages/projections/src/read-models/indicators/write-indicators-doc.ts',
    why: 'rewrites docs/indicators.md in the repository; its test checks the page is what it writes',
    coveredBy: 'packages/projections/src/read-models/indicators/indicators-doc.unit.test.ts',
  },
];

/** The commands a rewritten piece may start with: the CLI and the examples from source, and plain shell. */
const runnableHeads = new Set(['misas', 'example', 'export', 'echo', 'cat', 'head', 'tail', 'ls', 'grep', 'wc', 'test']);

/** A piece rewritten to run from source: pnpm's and npx's ways of starting misas become the `misas` shell function. */
export function rewritePiece(piece: string): string {
  return piece
    .replace(/(?:npx -y pnpm@10|pnpm)(?:\s+(?:-s|--silent))?\s+misas\b/g, 'misas')
    .replace(/(?:npx -y pnpm@10|pnpm)(?:\s+(?:-s|--silent))?\s+example\b/g, 'example')
    .replace(/\bnpx misas\b/g, 'misas');
}

/** How the doc test treats one command: the line it runs (`null`: nothing of it runs here), or why it cannot. */
export type CommandPlan = { readonly kind: 'run'; readonly line: string | null; readonly skipped: readonly NotRunHere[] } | { readonly kind: 'unrunnable'; readonly reason: string };

/** Plans a doc command: its pieces not run here are left out, the others rewritten and kept. */
export function planCommand(command: DocCommand): CommandPlan {
  const pieces = commandPieces(command.command);
  const skipped: NotRunHere[] = [];
  const kept: string[] = [];
  for (const piece of pieces) {
    const listed = notRunHere.find((entry) => entry.piece === piece.replace(/\s+/g, ' '));
    if (listed) {
      skipped.push(listed);
      continue;
    }
    const rewritten = rewritePiece(piece);
    // Variables set for the command (`MISAS_STORE=… misas migrate`) come before it.
    const head = rewritten.replace(/^(\w+=\S*\s+)+/, '').split(/\s+/)[0] ?? '';
    if (!runnableHeads.has(head)) {
      return { kind: 'unrunnable', reason: `${command.doc}:${command.line}: \`${piece}\` is neither run by the doc test (it runs misas, examples and plain shell) nor listed in notRunHere (scripts/docs/doc-command-table.ts) with the test that covers it` };
    }
    kept.push(rewritten);
  }
  // A line whose pieces all run is kept whole (its `;` and `||` included); otherwise what is left, chained.
  const line = kept.length === 0 ? null : skipped.length === 0 ? rewritePiece(command.command) : kept.join(' && ');
  if (command.output !== null && line !== rewritePiece(command.command)) {
    return { kind: 'unrunnable', reason: `${command.doc}:${command.line}: a console block shows the output of \`${command.command}\`, so all of it must run here` };
  }
  return { kind: 'run', line, skipped };
}
