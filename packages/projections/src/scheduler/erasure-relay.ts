/**
 * Makes sure every `PersonalDataErased` event really destroyed the person's key. The command
 * handler shreds right after appending the event; should the process die in between, this
 * reactor shreds on its next run (shredding is idempotent). Given the storage's snapshot store, it
 * deletes the case's snapshots too, as the handler does after an erasure.
 */
import type { CaseSnapshotStore, PersonalDataVault, ProjectionStore } from '@misas/core';
import type { Reactor } from '../engine/reactor.ts';

const subjectsCollection = 'erasure-relay/subjects';

/** The reactor; it remembers each case's subject reference in the projection store. */
export function erasureRelay(vault: PersonalDataVault, store: ProjectionStore, snapshots?: CaseSnapshotStore): Reactor {
  return {
    name: 'erasure-relay',
    handles: ['ReferralReceived', 'PersonalDataErased'],
    async react(event) {
      if (event.type === 'ReferralReceived') {
        const subjectRef = event.data.subjectRef;
        await store.transaction((tx) => tx.put(subjectsCollection, event.meta.caseId, subjectRef));
        return;
      }
      const subjectRef = await store.get(subjectsCollection, event.meta.caseId);
      if (typeof subjectRef === 'string') await vault.shred(subjectRef);
      await snapshots?.delete(event.meta.caseId);
    },
  };
}
