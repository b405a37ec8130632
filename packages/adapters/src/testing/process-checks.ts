/**
 * Shared checks of the multi-process and crash tests, so that SQLite and PostgreSQL are held to
 * exactly the same standard.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import type { EventMetadata, MisasStorage } from '@misas/core';
import { openStorage } from '../open-storage.ts';

const nodeArgs = ['--conditions=@misas/source'];
const script = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** Runs `workers` hammer processes against `url` and checks that nothing was lost or duplicated. */
export async function hammerWithProcesses(url: string, options: { workers: number; cases: number; commands: number }): Promise<{ conflicts: number; events: number }> {
  const outputs = await Promise.all(
    Array.from({ length: options.workers }, (_, w) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [...nodeArgs, script('hammer-worker.ts'), url, `w${w}`, String(options.cases), String(options.commands)], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`worker w${w} exited ${code}: ${err}`))));
      }),
    ),
  );
  const reports = outputs.map((out) => JSON.parse(out.trim().split('\n').pop() ?? '{}') as { applied: number; conflicts: number });

  const storage = await openStorage(url);
  try {
    const all = await storage.events.readAll();
    const metas = all.map((event) => event.meta as EventMetadata);
    // No duplicate, nothing lost.
    assert.equal(new Set(metas.map((m) => m.eventId)).size, metas.length, 'duplicate event ids');
    const timeLogs = all.filter((event) => event.type === 'TimeSpentLogged').length;
    assert.equal(timeLogs, options.workers * options.commands, 'every acknowledged command is stored once');
    assert.equal(all.filter((event) => event.type === 'ReferralReceived').length, options.cases, 'each case opened once');
    // Positions strictly increase; every case's versions are contiguous from 1.
    for (let i = 1; i < all.length; i++) assert.ok(all[i]!.position > all[i - 1]!.position, 'positions increase');
    for (let c = 0; c < options.cases; c++) {
      const versions = (await storage.events.readStream(`hammer-${c}`)).map((event) => (event.meta as EventMetadata).version);
      assert.deepEqual(versions, versions.map((_, i) => i + 1), `case hammer-${c} has contiguous versions`);
    }
    return { conflicts: reports.reduce((sum, r) => sum + r.conflicts, 0), events: all.length };
  } finally {
    await storage.close();
  }
}

/**
 * Starts a crash writer, kills it with SIGKILL after `acks` acknowledged appends (mid-batch, as it
 * never stops writing), reopens the storage and checks: every acknowledged append is there, and
 * no stream holds part of a batch.
 */
export async function killMidBatch(url: string, options: { acks: number; batch: number }): Promise<{ acknowledged: number; stored: number }> {
  const acked = new Map<string, number>();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script('crash-writer.ts'), url, String(options.batch)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let count = 0;
    let buffer = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [, stream, version] = line.split(' ');
        if (stream && version) acked.set(stream, Number(version));
        if (++count === options.acks) child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`crash writer ended without being killed: ${err}`))));
  });

  const storage: MisasStorage = await openStorage(url);
  try {
    let stored = 0;
    for (const [stream, version] of acked) {
      const versions = (await storage.events.readStream(stream)).map((event) => (event.meta as EventMetadata).version);
      assert.ok(versions.length >= version, `${stream}: acknowledged version ${version}, found ${versions.length}`);
      assert.equal(versions.length % options.batch, 0, `${stream}: a partial batch survived (${versions.length} events)`);
      assert.deepEqual(versions, versions.map((_, i) => i + 1));
      stored += versions.length;
    }
    return { acknowledged: [...acked.values()].reduce((a, b) => a + b, 0), stored };
  } finally {
    await storage.close();
  }
}
