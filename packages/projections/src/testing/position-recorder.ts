/**
 * A projection for the scale-out tests: it records which worker processed each position, and
 * notes any position processed twice.
 */
import { eventDefinitions } from '@misas/core';
import type { Projection } from '../engine/projection.ts';

export function positionRecorder(worker: string): Projection {
  return {
    name: 'position-recorder',
    handles: eventDefinitions.map((definition) => definition.type),
    collections: ['seen', 'twice'],
    async apply(_event, tx, position) {
      const key = String(position).padStart(12, '0');
      if ((await tx.get('seen', key)) !== undefined) await tx.put('twice', key, worker);
      await tx.put('seen', key, worker);
    },
  };
}
