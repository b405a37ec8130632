/**
 * Issue 12, attack classes 2 and 8 on the command line, on memory, SQLite and PostgreSQL:
 * a simulation played onto a store with a real case, and the failures that used to end in a raw
 * stack trace. Each test checks the refusal AND that nothing was harmed (the person still readable,
 * nothing exported or audited). The real-process cases are in cli-process.attack.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createInMemoryStorage, type MisasStorage } from '@misas/core';
import { openStorage } from '@misas/adapters';
import { ExitCode } from './cli-output.ts';
import { loadScenarioFile } from './scenario/parse.ts';
import { playScenario } from './scenario/play.ts';
import { simulateYear, SimulationStoreError } from './simulation/index.ts';
import { captureCli, exampleScenario } from './testing/capture.ts';
import { aliasBombFile, corruptMiddle, durableStores, isOneLine, personReadable, scratchDir, setImmutable, sqliteFile, type AttackStore } from './testing/attack-kit.ts';

const day = 86_400_000;
/** The example scenario's case: Lou Durand, fund cpam-22, closed in 2026, retention over by late 2027. */
const realCase = 'case-lou';
const dpo = ['--as-dpo', 'dpo-22', '--fund', 'cpam-22'];
const smallYear = { cases: 5, from: '2026-01-01', to: '2026-01-31', seed: 1 } as const;

async function withRealCase<T>(storage: MisasStorage, work: () => Promise<T>): Promise<T> {
  await playScenario(await loadScenarioFile(exampleScenario), { storage });
  return work();
}

/** Opens a durable store, runs `work`, closes it. */
async function onStore<T>(store: AttackStore, work: (storage: MisasStorage) => Promise<T>): Promise<T> {
  const storage = await openStorage(store.url);
  try {
    return await work(storage);
  } finally {
    await storage.close();
  }
}

/**
 * A storage on which the refusal is bypassed as a race would: another process writes a real case
 * right after the simulation checked the store (its first projection transaction writes the mark).
 */
function racedBy(storage: MisasStorage, writeRealCase: () => Promise<void>): MisasStorage {
  let raced = false;
  const projections = storage.projections;
  return {
    ...storage,
    projections: {
      get: (collection, key) => projections.get(collection, key),
      list: (collection, options) => projections.list(collection, options),
      checkpoint: (projection) => projections.checkpoint(projection),
      async transaction(work) {
        const result = await projections.transaction(work);
        if (!raced) {
          raced = true;
          await writeRealCase();
        }
        return result;
      },
    },
  };
}

/** The simulation whose clock runs past the real case's retention (it would be erased at 2027-08). */
const pastRetention = { ...smallYear, until: '2027-12-01' } as const;

async function bypassedRefusalLeavesRealCase(storage: MisasStorage): Promise<void> {
  const raced = racedBy(storage, async () => {
    await playScenario(await loadScenarioFile(exampleScenario), { storage });
  });
  const result = await simulateYear({ storage: raced, ...pastRetention, groupCommit: false });
  expect(result.counts.referrals).toBe(5);
  expect((await storage.events.readStream(realCase)).map((event) => event.type)).not.toContain('PersonalDataErased');
  expect(await personReadable(storage, realCase)).toBe(true);
}

describe('class 2: a simulation erases real people', () => {
  describe('on memory', () => {
    it('given a store holding a real case, when a simulation starts on it, then it is refused before writing and the person is still readable', async () => {
      const storage = createInMemoryStorage();
      await withRealCase(storage, async () => {
        const head = await storage.events.headPosition();
        const refused = simulateYear({ storage, ...pastRetention });
        await expect(refused).rejects.toBeInstanceOf(SimulationStoreError);
        await expect(refused).rejects.toMatchObject({ rule: 'foreign-cases', message: expect.stringContaining(realCase) });
        expect(await storage.events.headPosition()).toBe(head);
        expect(await personReadable(storage, realCase)).toBe(true);
      });
    });

    it('given the refusal bypassed (a real case written right after the check), when the simulated clock passes its retention, then the scheduler leaves it alone', async () => {
      await bypassedRefusalLeavesRealCase(createInMemoryStorage());
    }, 60_000);

    it('given a store of an earlier simulation of the same seed, when simulated again, then it is refused naming the seed', async () => {
      const storage = createInMemoryStorage();
      await simulateYear({ storage, ...smallYear });
      await expect(simulateYear({ storage, ...smallYear })).rejects.toMatchObject({ rule: 'previous-simulation', message: expect.stringContaining('seed 1') });
    }, 60_000);
  });

  for (const target of durableStores('sim')) {
    describe(`on ${target.kind}`, () => {
      it('given a store holding a real case, when misas simulate runs on it, then it exits 1 with one line, writes nothing, and the person can still be exported', async () => {
        const store = target.create();
        try {
          expect((await captureCli(['run', '--store', store.url, exampleScenario])).code).toBe(0);
          const head = await onStore(store, (storage) => storage.events.headPosition());
          const run = await captureCli(['simulate', '--cases', '5', '--from', '2026-01-01', '--to', '2026-01-31', '--until', '2027-12-01', '--no-progress', '--store', store.url]);
          expect(run.code).toBe(ExitCode.failed);
          expect(isOneLine(run.err)).toBe(true);
          expect(run.err).toContain(`did not create (${realCase})`);
          expect(await onStore(store, (storage) => storage.events.headPosition())).toBe(head);
          expect((await captureCli(['export', realCase, ...dpo, '--store', store.url])).out).toContain('Durand');
          // --replace does not delete a store holding a real case either.
          const replace = await captureCli(['simulate', '--cases', '5', '--from', '2026-01-01', '--to', '2026-01-31', '--replace', '--no-progress', '--store', store.url]);
          expect(replace.code).toBe(target.kind === 'sqlite' ? ExitCode.failed : ExitCode.badInput);
          expect(await onStore(store, (storage) => personReadable(storage, realCase))).toBe(true);
        } finally {
          await store.drop();
        }
      }, 60_000);

      it('given the refusal bypassed (a real case written right after the check), when the simulated clock passes its retention, then the scheduler leaves it alone', async () => {
        const store = target.create();
        try {
          await onStore(store, bypassedRefusalLeavesRealCase);
        } finally {
          await store.drop();
        }
      }, 120_000);

      it('when purge --now is more than a day ahead of the real clock, then it is refused (exit 1) and nobody is erased, unless --allow-future', async () => {
        const store = target.create();
        try {
          expect((await captureCli(['run', '--store', store.url, exampleScenario])).code).toBe(0);
          const inTwoYears = new Date(Date.now() + 730 * day).toISOString();
          const refused = await captureCli(['purge', '--now', inTwoYears, '--store', store.url]);
          expect(refused.code).toBe(ExitCode.failed);
          expect(isOneLine(refused.err)).toBe(true);
          expect(refused.err).toContain('--allow-future');
          expect(await onStore(store, (storage) => personReadable(storage, realCase))).toBe(true);
          expect((await captureCli(['purge', '--now', new Date(Date.now() + day / 2).toISOString(), '--store', store.url])).code).toBe(ExitCode.ok);
          const allowed = await captureCli(['purge', '--now', inTwoYears, '--allow-future', '--store', store.url]);
          expect(allowed.out).toMatch(/: 1 erasure\(s\)/);
        } finally {
          await store.drop();
        }
      }, 60_000);
    });
  }
});

describe('class 8: stack traces instead of errors', () => {
  it('given a YAML alias bomb, when run, then it is a bad file (exit 2) named by its rule, without expanding it or a stack', async () => {
    const run = await captureCli(['run', aliasBombFile(scratchDir('bomb'))]);
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.err).toMatch(/^misas: .*bomb\.yaml: invalid scenario\n {2}- \(root\): not valid YAML: Excessive alias count/);
    expect(run.err).not.toContain('    at ');
  });

  it('given a reversed period, when simulated, then it exits 2 naming --from', async () => {
    const run = await captureCli(['simulate', '--cases', '5', '--from', '2026-06-30', '--to', '2026-01-01', '--store', 'memory:', '--no-progress']);
    expect(run).toMatchObject({ code: ExitCode.badInput, err: 'misas: invalid option --from: must not be after --to (the period runs forwards)' });
  });

  it('given a PostgreSQL server that refuses connections, when a command runs, then it exits 3 saying it is unreachable', async () => {
    const run = await captureCli(['migrate', '--store', 'postgres://misas:secret@127.0.0.1:1/misas']);
    expect(run.code).toBe(ExitCode.storeUnavailable);
    expect(isOneLine(run.err)).toBe(true);
    expect(run.err).toMatch(/^misas: the store postgres:\/\/misas@127\.0\.0\.1:1\/misas \(schema misas\) is unreachable \(ECONNREFUSED/);
    expect(run.err).not.toContain('secret');
  });

  it('given an unwritable --out, when exporting on memory, then it exits 2 before opening the store', async () => {
    const run = await captureCli(['export', realCase, ...dpo, '--store', 'memory:', '--out', '/nonexistent-folder/lou.json']);
    expect(run).toMatchObject({ code: ExitCode.badInput, err: 'misas: --out /nonexistent-folder/lou.json: the folder /nonexistent-folder does not exist: create it, or write elsewhere' });
  });

  for (const target of durableStores('fail')) {
    describe(`on ${target.kind}`, () => {
      it('given an unwritable --out (a missing folder, an immutable one), when exporting, then it exits 2 and nothing is exported nor audited', async () => {
        const store = target.create();
        const locked = scratchDir('locked');
        try {
          expect((await captureCli(['run', '--store', store.url, exampleScenario])).code).toBe(0);
          const audited = () => onStore(store, async (storage) => (await storage.audit.query({}, { limit: 1000 })).entries.length);
          const before = await audited();
          setImmutable(locked, true);
          for (const out of [`${locked}/lou.json`, '/nonexistent-folder/lou.json']) {
            const run = await captureCli(['export', realCase, ...dpo, '--store', store.url, '--out', out]);
            expect(run.code).toBe(ExitCode.badInput);
            expect(isOneLine(run.err)).toBe(true);
          }
          const report = await captureCli(['report', '--store', store.url, '--out', `${locked}/report.html`]);
          expect(report.code).toBe(ExitCode.badInput);
          expect(await audited()).toBe(before);
        } finally {
          setImmutable(locked, false);
          await store.drop();
        }
      }, 60_000);

      it('given a simulation already played with the same seed, when simulated again on the store, then it exits 1 with one line naming --replace', async () => {
        const store = target.create();
        try {
          const args = ['simulate', '--cases', '5', '--from', '2026-01-01', '--to', '2026-01-31', '--no-progress', '--store', store.url];
          expect((await captureCli(args)).code).toBe(ExitCode.ok);
          const again = await captureCli(args);
          expect(again.code).toBe(ExitCode.failed);
          expect(isOneLine(again.err)).toBe(true);
          expect(again.err).toContain('of the same seed');
          if (target.kind === 'sqlite') expect((await captureCli([...args, '--replace'])).code).toBe(ExitCode.ok);
        } finally {
          await store.drop();
        }
      }, 60_000);

      if (target.kind === 'sqlite') {
        it('given a read-only file (immutable: root too is refused), when a command writes, then it exits 3 saying so; reading still works', async () => {
          const store = target.create();
          const file = sqliteFile(store.url);
          expect((await captureCli(['run', '--store', store.url, exampleScenario])).code).toBe(0);
          setImmutable(file, true);
          try {
            const run = await captureCli(['export', realCase, ...dpo, '--store', store.url]);
            expect(run.code).toBe(ExitCode.storeUnavailable);
            expect(isOneLine(run.err)).toBe(true);
            expect(run.err).toContain('is read-only (SQLITE_READONLY)');
            const replay = await captureCli(['run', '--store', store.url, exampleScenario]);
            expect(replay.code).toBe(ExitCode.storeUnavailable);
            expect(isOneLine(replay.err)).toBe(true);
            expect((await captureCli(['migrate', '--store', store.url])).code).toBe(ExitCode.ok);
          } finally {
            setImmutable(file, false);
          }
        });

        it('given a file whose middle pages are overwritten, when rebuilt, then it exits 3 naming PRAGMA integrity_check', async () => {
          const store = target.create();
          expect((await captureCli(['simulate', '--cases', '40', '--from', '2026-01-01', '--to', '2026-03-31', '--no-progress', '--store', store.url])).code).toBe(0);
          corruptMiddle(sqliteFile(store.url));
          const run = await captureCli(['rebuild', '--store', store.url]);
          expect(run.code).toBe(ExitCode.storeUnavailable);
          expect(isOneLine(run.err)).toBe(true);
          expect(run.err).toContain("PRAGMA integrity_check");
        }, 60_000);
      } else {
        it('given a read-only server (a standby: default_transaction_read_only), when a command writes, then it exits 3 saying so', async () => {
          const store = target.create();
          try {
            expect((await captureCli(['run', '--store', store.url, exampleScenario])).code).toBe(0);
            const readOnly = `${store.url}&options=${encodeURIComponent('-c default_transaction_read_only=on')}`;
            const run = await captureCli(['export', realCase, ...dpo, '--store', readOnly]);
            expect(run.code).toBe(ExitCode.storeUnavailable);
            expect(isOneLine(run.err)).toBe(true);
            expect(run.err).toContain('is read-only (25006');
          } finally {
            await store.drop();
          }
        }, 60_000);
      }
    });
  }
});
