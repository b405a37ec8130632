import { randomBytes } from 'node:crypto';
import { defineConfig } from 'vitest/config';

// Test tiers are named by suffix so that each runs on its own:
//   *.unit.test.ts  pure logic and the in-memory store (`pnpm test:unit`)
//   *.int.test.ts   real stores: SQLite files, PostgreSQL (`pnpm test:int`)
const sourceConditions = ['@misas/source'];

// Stores are opened as a deployment opens them: with a master key in the environment (PostgreSQL
// refuses to open without one). A throwaway key per run, unless the developer configured their own;
// child processes of the tests inherit it. The defaults without any key (a key file generated beside
// a SQLite file, PostgreSQL's refusal) are tested on their own, with an empty environment.
const masterKeyEnv: Record<string, string> =
  process.env['MISAS_MASTER_KEY'] || process.env['MISAS_MASTER_KEY_FILE'] ? {} : { MISAS_MASTER_KEY: randomBytes(32).toString('base64') };

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    env: masterKeyEnv,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/src/**/*.unit.test.ts', 'examples/**/*.unit.test.ts', 'scripts/**/*.unit.test.ts', 'bench/src/**/*.unit.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'int', include: ['packages/*/src/**/*.int.test.ts', 'examples/**/*.int.test.ts', 'scripts/**/*.int.test.ts', 'bench/src/**/*.int.test.ts'] },
      },
    ],
  },
});
