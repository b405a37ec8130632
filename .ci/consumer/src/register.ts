// The case register, a read model built from the log, and the indicators of a period.
import { createInMemoryStorage, type EventStore } from '@misas/core';
import { caseRegisterProjection, catchUp, computeIndicators, readModel, registerRowsForPeriod } from '@misas/projections';

export async function referredInMarch(events: EventStore): Promise<number> {
  const projections = createInMemoryStorage().projections; // or the store's own: storage.projections
  const register = caseRegisterProjection();
  await catchUp(events, projections, register); // exactly once, from where it stopped
  const period = { from: '2026-03-01', to: '2026-03-31' };
  const rows = await registerRowsForPeriod(readModel(projections, register.name), period);
  return computeIndicators(rows, period).overall.referred;
}
