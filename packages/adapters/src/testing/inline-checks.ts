/**
 * The inline-projection scenario shared by the SQLite and PostgreSQL tests: command handlers whose
 * inline projector and concurrent projection batches both read-modify-write one document, so a
 * lost update shows as a short count.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CaseCommandHandler, CaseCommandInput, InlineProjector, JsonValue, ProjectionStore } from '@misas/core';
import { sampleExternalForm } from '@misas/core/testing';

export const actor = { role: 'counsellor', id: 'counsellor-1' } as const;

/** A document two kinds of writer update by read-modify-write, each its own field: a lost update shows as a short count. */
export interface Totals {
  readonly inline: number;
  readonly batches: number;
}

/** A numeric field of a stored document, 0 when the document or the field is absent. */
export function numberIn(value: JsonValue | undefined, field: string): number {
  if (typeof value !== 'object' || value === null) return 0;
  return Number(new Map(Object.entries(value)).get(field) ?? 0);
}

export function totalsOf(value: JsonValue | undefined): Totals {
  return { inline: numberIn(value, 'inline'), batches: numberIn(value, 'batches') };
}

export function versionOf(value: JsonValue | undefined): number {
  return numberIn(value, 'version');
}

/**
 * An inline projection: a summary per case, and a global count of events kept by read-modify-write.
 * The pause between read and write leaves room for a concurrent writer to slip in, if anything let it.
 */
export const summarise: InlineProjector = async (tx, caseEvents) => {
  const last = caseEvents.at(-1);
  if (!last) return;
  const before = versionOf(await tx.get('case-summary', last.meta.caseId));
  const totals = totalsOf(await tx.get('totals', 'counts'));
  await sleep(1);
  await tx.put('case-summary', last.meta.caseId, { version: caseEvents.length, lastType: last.type });
  await tx.put('totals', 'counts', { ...totals, inline: totals.inline + caseEvents.length - before });
};

/** Projection batches that bump their own field of the same document. */
export async function runBatches(projections: ProjectionStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await projections.transaction(async (tx) => {
      const totals = totalsOf(await tx.get('totals', 'counts'));
      await sleep(1);
      await tx.put('totals', 'counts', { ...totals, batches: totals.batches + 1 });
    });
  }
}

/** Opens every case (the same command ids for every writer: one wins, the others are duplicates), then logs time round-robin. */
export async function runWriter(handler: CaseCommandHandler, name: string, cases: number, commands: number): Promise<void> {
  for (let c = 0; c < cases; c++) {
    await handler.execute({ type: 'ReceiveReferral', caseId: `case-${c}`, commandId: `open-${c}`, actor, data: { fundId: 'cpam-test', form: sampleExternalForm() } });
  }
  for (let i = 0; i < commands; i++) {
    const command: CaseCommandInput = { type: 'LogTime', caseId: `case-${i % cases}`, commandId: `${name}-${i}`, actor, data: { minutes: 5, activity: 'follow-up' } };
    await handler.execute(command);
  }
}
