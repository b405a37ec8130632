/**
 * Inline projections: updated in the same transaction as every append, so a read model is never
 * behind a write (read-your-writes). The command handler passes the case's whole stream; each
 * projection applies the events after the last version it recorded for that case. That makes the
 * inline path self-healing: after a rebuild switched generations, the first write to a case brings
 * that case up to date in the new generation, and the rebuild's final catch-up does the others.
 */
import type { CaseEvent, InlineProjector, ProjectionTransaction } from '@misas/core';
import { z } from 'zod';
import { activeGeneration, scopedTransaction } from './generations.ts';
import type { Projection } from './projection.ts';

/** Where an inline projection records, per case, the last version it applied. */
export const caseVersionsCollection = 'misas:case-versions';

const Version = z.number().int().min(0);

/** The last version of `caseId` applied by the projection whose (scoped) transaction this is. */
export async function appliedVersion(tx: Pick<ProjectionTransaction, 'get'>, caseId: string): Promise<number> {
  const stored = await tx.get(caseVersionsCollection, caseId);
  return stored === undefined ? 0 : Version.parse(stored);
}

/**
 * Applies `event` unless this inline projection already did; records its version. Used by both
 * the inline path and catch-up, so the two never apply an event twice.
 */
export async function applyOnce(projection: Projection, tx: ProjectionTransaction, event: CaseEvent, position: number | undefined): Promise<void> {
  const applied = await appliedVersion(tx, event.meta.caseId);
  if (event.meta.version <= applied) return;
  if (projection.handles.includes(event.type)) await projection.apply(event, tx, position);
  await tx.put(caseVersionsCollection, event.meta.caseId, event.meta.version);
}

/** The inline projector for the command handler's `inline` option. */
export function inlineProjector(projections: readonly Projection[]): InlineProjector {
  for (const projection of projections) {
    if (!projection.inline) throw new Error(`projection '${projection.name}' is not marked inline: set inline: true`);
  }
  return async (tx, caseEvents) => {
    for (const projection of projections) {
      const scoped = scopedTransaction(tx, await activeGeneration(tx, projection.name));
      for (const event of caseEvents) await applyOnce(projection, scoped, event, undefined);
    }
  };
}
