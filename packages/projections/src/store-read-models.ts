/**
 * Every read model a misas store keeps, in one list: what `misas rebuild` rebuilds and what the
 * benchmarks measure. The fund-dependent ones (retention, deadlines) follow `policies`.
 */
import { defaultPolicies, type PolicyProvider } from '@misas/core';
import type { Projection } from './engine/projection.ts';
import { caseloadProjection } from './read-models/caseload/caseload-projection.ts';
import { detectorViewProjection } from './read-models/detector-view/detector-view-projection.ts';
import { caseRegisterProjection } from './read-models/register/register-projection.ts';
import { retentionProjection } from './read-models/retention/retention-projection.ts';
import { deadlinesProjection } from './scheduler/deadlines.ts';

/** The case register, caseload and agenda, detector view, retention schedule and deadlines. */
export function storeReadModels(policies: PolicyProvider = defaultPolicies): readonly Projection[] {
  return [caseRegisterProjection(), caseloadProjection(), detectorViewProjection(), retentionProjection({ policies }), deadlinesProjection(policies)];
}
