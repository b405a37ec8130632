// The secured entry point: each authenticated user gets a session that checks and audits every call.
import type { MisasStorage } from '@misas/core';
import { createMisas } from '@misas/service';
import { form } from './referral.js';

export async function sessionOf(storage: MisasStorage): Promise<{ status: string; audited: number }> {
  const misas = createMisas({ storage });
  const fundId = 'cpam-22';
  const reception = misas.as({ role: 'detector', id: 'ccas-lannion', fundId, origin: 'external-partner' });
  const counsellor = misas.as({ role: 'counsellor', id: 'counsellor-12', fundId });
  await reception.execute({ type: 'ReceiveReferral', caseId: 'case-002', commandId: 'cmd-101', data: { fundId, form } });
  await counsellor.execute({ type: 'AcceptReferral', caseId: 'case-002', commandId: 'cmd-102', data: { counsellorId: 'counsellor-12' } });
  const detail = await counsellor.caseDetail('case-002'); // the register row and the person, from the vault
  const auditor = misas.as({ role: 'auditor', id: 'auditor-22', fundId });
  const trail = await auditor.auditTrail({ caseId: 'case-002' }, { limit: 100 });
  return { status: detail.row.status, audited: trail.entries.length };
}
