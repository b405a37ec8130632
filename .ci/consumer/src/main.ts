// The consumer check's program: what a team that installed the tarballs from npm would run.
// `node dist/main.js DIR` runs every check with DIR as scratch space; `node dist/main.js --old-runtime`
// runs only what must hold on a Node.js older than the supported floor.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { openStorage } from '@misas/adapters';
import { main as quickstart } from './quickstart.js';
import { referredInMarch } from './register.js';
import { reportPage } from './report-page.js';
import { sessionOf } from './service-session.js';
import { sqliteStore } from './sqlite-store.js';
import { oldRuntime } from './old-runtime.js';

async function check(name: string, run: () => Promise<string>): Promise<void> {
  const started = performance.now();
  const detail = await run();
  console.log(`  ok ${name} (${Math.round(performance.now() - started)} ms): ${detail}`);
}

async function all(dir: string): Promise<void> {
  const log = console.log;
  await check("the README's quickstart", async () => {
    const printed: unknown[] = [];
    console.log = (...args: unknown[]) => void printed.push(args.join(' '));
    try {
      assert.equal(await quickstart(), 'review');
    } finally {
      console.log = log;
    }
    assert.deepEqual(printed, ['review', 'allowed-in-state']);
    return printed.join(', ');
  });
  await check('a SQLite store, closed and reopened', async () => {
    const types = await sqliteStore(join(dir, 'cases.db'));
    assert.deepEqual(types, ['ReferralReceived', 'ReferralAccepted']);
    return types.join(', ');
  });
  await check('a @misas/service session on SQLite, and the register', async () => {
    const storage = await openStorage(`sqlite:${join(dir, 'service.db')}`);
    try {
      const { status, audited } = await sessionOf(storage);
      assert.equal(status, 'review');
      assert.ok(audited >= 3, `the audit trail holds every call (${audited})`);
      const referred = await referredInMarch(storage.events);
      assert.equal(referred, 1);
      return `status ${status}, ${audited} audit entries, register: ${referred} referred in March`;
    } finally {
      await storage.close();
    }
  });
  await check('a @misas/report page of that store', async () => {
    const storage = await openStorage(`sqlite:${join(dir, 'service.db')}`);
    try {
      const html = await reportPage(storage);
      assert.match(html, /^<!doctype html>/);
      assert.ok((html.match(/<svg/g) ?? []).length >= 7, 'every chart is inline SVG');
      assert.ok(html.includes('mermaid.run('), 'the Mermaid bundle is inlined');
      return `${html.length} characters`;
    } finally {
      await storage.close();
    }
  });
}

const [argument] = process.argv.slice(2);
if (argument === undefined) throw new Error('usage: node dist/main.js DIR | --old-runtime');
if (argument === '--old-runtime') await check(`Node.js ${process.versions.node}`, () => oldRuntime(process.env['MISAS_PG_URL']));
else await all(argument);
