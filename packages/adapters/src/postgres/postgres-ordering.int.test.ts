import { describe, expect, it } from 'vitest';
import type { EventMetadata, StoredEvent } from '@misas/core';
import { conformanceEvents } from '@misas/core/testing';
import pg from 'pg';
import { appendWithin } from './event-store.ts';
import { openPostgresStorage, type PostgresStorage } from './index.ts';
import { dropSchema, freshSchemaName, pgMissingInCi, pgRequiredMessage, pgUrl, requirePgUrl, withAdminClient } from './test-kit.ts';

describe.runIf(pgMissingInCi)('PostgreSQL ordering in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

const streamOf = (event: StoredEvent) => (event.meta as EventMetadata).caseId;
const eventIdOf = (event: StoredEvent) => (event.meta as EventMetadata).eventId;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

describe.skipIf(!pgUrl)('PostgreSQL global order', { timeout: 60_000 }, () => {
  it('given an append still in flight while a later one commits, when a reader checkpoints and reads on after the first commits, then it sees the first one', async () => {
    const url = requirePgUrl();
    const schema = freshSchemaName('ordering');
    const storage = await openPostgresStorage({ connectionString: url, schema });
    const t1 = await connect(url);
    const t2 = await connect(url);
    try {
      // Given T1 appends to stream A and stays open…
      await t1.query('BEGIN');
      await appendWithin(t1, schema, { streamId: 'A', expectedVersion: 0, commandId: 'a', events: conformanceEvents('A', 'a', 0, 3) });
      // …while T2 appends to stream B and commits.
      await t2.query('BEGIN');
      await appendWithin(t2, schema, { streamId: 'B', expectedVersion: 0, commandId: 'b', events: conformanceEvents('B', 'b', 0, 2) });
      await t2.query('COMMIT');

      // When a reader reads the whole log and checkpoints…
      const first = await storage.events.readAll();
      expect(first.map(streamOf)).toEqual(['B', 'B']);
      expect(first.map((event) => event.position)).toEqual([1, 2]);
      const checkpoint = first.at(-1)?.position ?? 0;

      // …and T1 commits afterwards,
      await t1.query('COMMIT');

      // then reading after the checkpoint shows A's events, above it.
      const next = await storage.events.readAll({ after: checkpoint });
      expect(next.map(streamOf)).toEqual(['A', 'A', 'A']);
      expect(next.map((event) => event.position)).toEqual([3, 4, 5]);
      expect(await storage.events.headPosition()).toBe(5);

      // A's rows were inserted first: a reader ordering by insertion number (seq) would have
      // passed A's numbers while they were invisible, and skipped A for good.
      const seqs = await t2.query<{ stream_id: string; seq: string }>(
        `SELECT stream_id, min(seq)::text AS seq FROM ${pg.escapeIdentifier(schema)}.events GROUP BY stream_id ORDER BY stream_id`,
      );
      const [a, b] = seqs.rows.map((row) => Number(row.seq));
      expect(a).toBeLessThan(b ?? 0);
    } finally {
      await t1.end();
      await t2.end();
      await storage.close();
      await dropSchema(schema);
    }
  });

  it('given 10 writers making 200 appends at once and tailing readers in other pools, then positions are 1..N, each event read exactly once, in order', async () => {
    const url = requirePgUrl();
    const schema = freshSchemaName('ordering');
    const writer = await openPostgresStorage({ connectionString: url, schema, poolSize: 10 });
    // Two readers with pools of their own: their sequencers contend as separate processes' would.
    const readers = [await openPostgresStorage({ connectionString: url, schema }), await openPostgresStorage({ connectionString: url, schema })];
    try {
      const chains = 10;
      const appendsPerChain = 20;
      let writing = true;
      const appended: string[] = [];

      const tail = async (reader: PostgresStorage): Promise<StoredEvent[]> => {
        const seen: StoredEvent[] = [];
        let checkpoint = 0;
        for (;;) {
          const done = !writing;
          const batch = await reader.events.readAll({ after: checkpoint, limit: 50 });
          seen.push(...batch);
          checkpoint = batch.at(-1)?.position ?? checkpoint;
          // Stop only after a read that began once every writer had finished, and came back short.
          if (done && batch.length < 50) return seen;
        }
      };
      const tailing = readers.map(tail);

      // When 10 chains each append 20 times to their own stream (1 to 3 events each time)…
      await Promise.all(
        Array.from({ length: chains }, async (_, chain) => {
          const streamId = `chain-${chain}`;
          let version = 0;
          for (let i = 0; i < appendsPerChain; i++) {
            const events = conformanceEvents(streamId, `${streamId}-${i}`, version, 1 + ((chain + i) % 3));
            await writer.events.append({ streamId, expectedVersion: version, commandId: `${streamId}-${i}`, events });
            version += events.length;
            appended.push(...events.map((event) => event.meta.eventId));
          }
        }),
      );
      writing = false;
      const seenByReaders = await Promise.all(tailing);

      // Then the log holds every event once, numbered 1..N without a gap…
      const all = await writer.events.readAll();
      expect(all.map((event) => event.position)).toEqual(all.map((_, index) => index + 1));
      expect(new Set(all.map(eventIdOf))).toEqual(new Set(appended));
      expect(all).toHaveLength(appended.length);
      // …each append's events are contiguous and in version order within their stream…
      for (let chain = 0; chain < chains; chain++) {
        const versions = all.filter((event) => streamOf(event) === `chain-${chain}`).map((event) => (event.meta as EventMetadata).version);
        expect(versions).toEqual(versions.map((_, index) => index + 1));
      }
      // …and each tailing reader, reading after its checkpoint while writes went on, saw every
      // event exactly once, in strictly increasing positions.
      for (const seen of seenByReaders) {
        for (let i = 1; i < seen.length; i++) expect(seen[i]!.position).toBeGreaterThan(seen[i - 1]!.position);
        expect(seen.map(eventIdOf)).toEqual(all.map(eventIdOf));
      }
      const stats = [writer, ...readers].map((storage) => storage.sequencerStats());
      console.info(`[postgres-ordering] ${appended.length} events in ${chains * appendsPerChain} appends; sequencer per pool:`, JSON.stringify(stats));
      expect(stats.reduce((sum, s) => sum + s.numbered, 0)).toBe(appended.length);
    } finally {
      await writer.close();
      for (const reader of readers) await reader.close();
      await dropSchema(schema);
    }
  });

  it('given appends and no reader, then their writer numbers them within moments, and a reader arriving later finds nothing left to number', async () => {
    const url = requirePgUrl();
    const schema = freshSchemaName('ordering');
    const writer = await openPostgresStorage({ connectionString: url, schema });
    const reader = await openPostgresStorage({ connectionString: url, schema });
    const unnumbered = () =>
      withAdminClient(async (client) => {
        const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(schema)}.events WHERE position IS NULL`);
        return rows[0]?.n;
      });
    try {
      let version = 0;
      for (let i = 0; i < 30; i++) {
        const events = conformanceEvents('A', `a-${i}`, version, 1 + (i % 2));
        await writer.events.append({ streamId: 'A', expectedVersion: version, commandId: `a-${i}`, events });
        version += events.length;
      }
      // Within a second, without any reader: the writer's own passes gave every position.
      const deadline = Date.now() + 2000;
      while ((await unnumbered()) !== 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await unnumbered()).toBe(0);
      expect(writer.sequencerStats().writerPasses).toBeGreaterThan(0);
      expect(writer.sequencerStats().numbered).toBe(version);

      const read = await reader.events.readAll();
      expect(read.map((event) => (event.meta as EventMetadata).version)).toEqual(read.map((_, index) => index + 1));
      expect(read.map((event) => event.position)).toEqual(read.map((_, index) => index + 1));
      // The reader's pass was only the probe: nothing to number, no lock.
      expect(reader.sequencerStats()).toMatchObject({ passes: 1, idlePasses: 1, numbered: 0 });
    } finally {
      await writer.close();
      await reader.close();
      await dropSchema(schema);
    }
  });
});
