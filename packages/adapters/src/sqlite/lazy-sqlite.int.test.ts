import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Node lists each built-in module it has loaded in `process.moduleLoadList` ('NativeModule sqlite').
const probe = `
  const loaded = () => process.moduleLoadList.some((name) => / sqlite$/.test(name));
  const adapters = await import(${JSON.stringify(new URL('../index.ts', import.meta.url).href)});
  const afterImport = loaded();
  const postgresOpener = typeof adapters.openPostgresStorage;
  const storage = await adapters.openStorage('sqlite::memory:');
  const afterOpen = loaded();
  await storage.close();
  console.log(JSON.stringify({ afterImport, postgresOpener, afterOpen }));
`;

describe('node:sqlite is loaded lazily', () => {
  it('is not loaded by importing @misas/adapters, only by opening a SQLite store', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@misas/source', '--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')).toEqual({ afterImport: false, postgresOpener: 'function', afterOpen: true });
  }, 60_000);
});
