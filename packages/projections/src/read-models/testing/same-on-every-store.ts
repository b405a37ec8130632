/**
 * Every read model, built from the same population on a given storage, dumped as plain data:
 * the memory, SQLite and PostgreSQL stores must give identical dumps.
 */
import type { MisasStorage } from '@misas/core';
import { catchUp } from '../../engine/catch-up.ts';
import { readModel } from '../../engine/generations.ts';
import type { Projection } from '../../engine/projection.ts';
import { caseloadProjection } from '../caseload/caseload-projection.ts';
import { detectorViewProjection } from '../detector-view/detector-view-projection.ts';
import { computeIndicators } from '../indicators/indicators.ts';
import { registerRowsForPeriod } from '../indicators/load-rows.ts';
import { caseRegisterProjection } from '../register/register-projection.ts';
import { retentionProjection } from '../retention/retention-projection.ts';
import { CaseLogBuilder } from './case-log-builder.ts';

/** Eight cases down different paths, written through the real command handler. */
export async function populate(storage: MisasStorage): Promise<void> {
  const log = new CaseLogBuilder({ storage, now: '2026-09-01T00:00:00.000Z' });
  await log.reached('done-rights', { referred: '2026-01-05', accepted: '2026-01-06', reached: '2026-01-09' });
  await log.agreePlan('done-rights', '2026-01-12');
  await log.outcome('done-rights', '2026-02-01', { kind: 'right-opened', right: 'c2s' });
  await log.close('done-rights', '2026-02-10');

  await log.reached('done-care', { referred: '2026-01-15', accepted: '2026-01-16', reached: '2026-01-20' }, { fundId: 'cpam-29', detectorId: 'gp-2' });
  await log.agreePlan('done-care', '2026-01-21', { strands: ['care'], dueDate: '2026-02-15' });
  await log.outcome('done-care', '2026-03-01', { kind: 'care-carried-out', careType: 'medical-devices' });
  await log.outcome('done-care', '2026-03-01', { kind: 'out-of-pocket-saved', amountCents: 12_000, careType: 'medical-devices' });
  await log.close('done-care', '2026-03-05');

  await log.reached('ongoing', { referred: '2026-02-02', accepted: '2026-02-03', reached: '2026-02-04' });
  await log.agreePlan('ongoing', '2026-02-05', { dueDate: '2026-02-20' });
  await log.run('ongoing', '2026-02-06', { type: 'ReferToPartner', data: { referralId: 'r1', partner: 'mdph', strand: 'rights', followUpBy: '2026-03-01' } });

  await log.refer('declined', '2026-02-10', { detectorId: 'gp-2' });
  await log.run('declined', '2026-02-11', { type: 'DeclineReferral', data: { reason: 'duplicate' } });

  await log.refer('redirected', '2026-02-12', { form: { reasons: ['complex-social-situation'] } });

  await log.refer('never-reached', '2026-03-02');
  await log.accept('never-reached', '2026-03-03');
  await log.review('never-reached', '2026-03-04');
  for (const day of ['2026-03-05', '2026-03-06', '2026-03-07']) await log.contact('never-reached', day, false);

  await log.reached('refused', { referred: '2026-03-10', accepted: '2026-03-11', reached: '2026-03-12' });
  await log.run('refused', '2026-03-12', { type: 'RecordConsent', data: { decision: 'refused', mode: 'phone' } });

  await log.refer('triage', '2026-04-01');
}

/** The projections of every read model. */
export function allReadModels(): readonly Projection[] {
  return [caseRegisterProjection(), caseloadProjection(), detectorViewProjection(), retentionProjection()];
}

/** Populates, catches every read model up, and dumps all their documents and the indicators. */
export async function readModelsDump(storage: MisasStorage): Promise<Record<string, unknown>> {
  await populate(storage);
  const dump: Record<string, unknown> = {};
  for (const projection of allReadModels()) {
    await catchUp(storage.events, storage.projections, projection, { batchSize: 17 });
    const reader = readModel(storage.projections, projection.name);
    for (const collection of projection.collections) dump[`${projection.name}/${collection}`] = await reader.list(collection);
  }
  const rows = await registerRowsForPeriod(readModel(storage.projections, caseRegisterProjection().name), { from: '2026-01-01', to: '2026-12-31' });
  dump['indicators'] = computeIndicators(rows, { from: '2026-01-01', to: '2026-12-31', groupBy: 'fund' });
  return dump;
}
