import { defineConfig } from 'vitest/config';

// Test tiers are named by suffix so that each runs on its own:
//   *.unit.test.ts  pure logic and the in-memory store (`pnpm test:unit`)
//   *.int.test.ts   real stores: SQLite files, PostgreSQL (`pnpm test:int`)
const sourceConditions = ['@misas/source'];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/src/**/*.unit.test.ts', 'examples/**/*.unit.test.ts', 'scripts/**/*.unit.test.ts', 'bench/src/**/*.unit.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'int', include: ['packages/*/src/**/*.int.test.ts', 'examples/**/*.int.test.ts', 'bench/src/**/*.int.test.ts'] },
      },
    ],
  },
});
