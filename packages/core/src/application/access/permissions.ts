/**
 * Who may do what, as data: for every command and every query, the roles granted and the scope
 * each grant is limited to. `authorize` reads this table and nothing else, so the table is the
 * whole access policy — listed in `docs/privacy.md` and tested role by role.
 */
import { z } from 'zod';
import type { CaseCommandType } from '../../domain/commands.ts';
import type { Principal } from './principal.ts';

/** What a grant is limited to. */
export const AccessScope = z.enum([
  /** Anything of the principal's fund. */
  'fund',
  /** A counsellor's own cases, their team's, and the fund's cases not assigned yet. */
  'own-or-team',
  /** A detector's own referrals. */
  'own-referral',
  /** A partner's own referrals: those made to it, in its fund. */
  'own-partner-referral',
  /** What belongs to no fund: aggregated, non-personal figures across funds, and the audit entries filed under no fund. */
  'national',
  /** The library's processes: every case they serve. */
  'any',
]);
export type AccessScope = z.infer<typeof AccessScope>;

/** The queries whose access is controlled. */
export const QueryName = z.enum([
  /** The register rows of cases (facts and references, no personal data). */
  'case-register',
  /** One case with the person's name and contact details, consent and notes. */
  'case-detail',
  /** The commands the principal may send to one case now, each allowed or with the rule that blocks it (no personal data). */
  'available-commands',
  /** A counsellor's caseload and agenda. */
  'caseload',
  /** The fund's indicators (aggregated). */
  'indicators',
  /** Indicators across funds (aggregated, non-personal). */
  'national-indicators',
  /** A detector's referrals: start and end only. */
  'detector-referrals',
  /** A partner's referrals, with the data the person agreed to share with it. */
  'partner-referrals',
  /** Everything held about a person (right of access). */
  'person-export',
  /** Finding a person's cases from their identity (for a rights request). */
  'find-person',
  /** Who read or changed which case. */
  'audit-trail',
  /** The pseudonymised extract for the national evaluation. */
  'evaluation-extract',
]);
export type QueryName = z.infer<typeof QueryName>;

/** Queries that return personal data: each answer is recorded in the audit trail as a read of personal data. */
export const personalDataQueries: ReadonlySet<QueryName> = new Set(['case-detail', 'partner-referrals', 'person-export', 'find-person']);

/** One role allowed to do something, within a scope. */
export interface Grant {
  readonly role: Principal['role'];
  readonly scope: AccessScope;
}

const grant = (role: Principal['role'], scope: AccessScope): Grant => ({ role, scope });

/** Case work: the counsellor on their cases, the supervisor on the fund's. */
const caseWork: readonly Grant[] = [grant('counsellor', 'own-or-team'), grant('supervisor', 'fund')];
/** The person's rights: case workers, and the data-protection officer who handles requests. */
const personRights: readonly Grant[] = [...caseWork, grant('data-protection-officer', 'fund')];

/** Every command, with the roles that may send it. */
export const commandGrants: { readonly [T in CaseCommandType]: readonly Grant[] } = {
  ReceiveReferral: [grant('detector', 'fund'), grant('counsellor', 'fund'), grant('supervisor', 'fund')],
  AcceptReferral: caseWork,
  RedirectReferral: caseWork,
  DeclineReferral: caseWork,
  AssignCounsellor: [grant('supervisor', 'fund')],
  RecordReviewItem: caseWork,
  CompleteReview: caseWork,
  UpdateReviewFinding: caseWork,
  RecordPlaceholderGp: caseWork,
  RecordContactAttempt: caseWork,
  PlanAppointment: caseWork,
  MoveAppointment: caseWork,
  RecordAppointmentHeld: caseWork,
  RecordAppointmentMissed: caseWork,
  CancelAppointment: caseWork,
  RecordConsent: caseWork,
  ChangeConsentScope: personRights,
  WithdrawConsent: personRights,
  OverrideConsent: [grant('supervisor', 'fund'), grant('data-protection-officer', 'fund')],
  RecordEvaluationObjection: personRights,
  RectifyPersonalData: personRights,
  RecordWelcomeLetterSent: caseWork,
  IdentifyNeeds: caseWork,
  AssessGpSearch: caseWork,
  PlanAction: caseWork,
  UpdateActionStatus: caseWork,
  ReferToPartner: caseWork,
  UpdatePartnerReferral: [...caseWork, grant('partner', 'own-partner-referral')],
  AgreePlan: caseWork,
  RecordOutcome: caseWork,
  LogTime: caseWork,
  AddNote: caseWork,
  CloseCase: [...caseWork, grant('system', 'any')],
  ReopenCase: caseWork,
  IssueReminder: [grant('system', 'any')],
  RequestErasure: [grant('data-protection-officer', 'fund')],
  ErasePersonalData: [grant('data-protection-officer', 'fund'), grant('system', 'any')],
};

/** Every query, with the roles that may ask it. */
export const queryGrants: { readonly [Q in QueryName]: readonly Grant[] } = {
  'case-register': [grant('counsellor', 'own-or-team'), grant('supervisor', 'fund'), grant('data-protection-officer', 'fund')],
  'case-detail': [grant('counsellor', 'own-or-team'), grant('supervisor', 'fund'), grant('data-protection-officer', 'fund')],
  // Whoever reads the case, in the same scope: a screen asks it before showing the case's buttons.
  'available-commands': [grant('counsellor', 'own-or-team'), grant('supervisor', 'fund'), grant('data-protection-officer', 'fund')],
  caseload: [grant('counsellor', 'own-or-team'), grant('supervisor', 'fund')],
  indicators: [grant('supervisor', 'fund')],
  'national-indicators': [grant('national-analyst', 'national')],
  'detector-referrals': [grant('detector', 'own-referral')],
  'partner-referrals': [grant('partner', 'own-partner-referral')],
  'person-export': [grant('data-protection-officer', 'fund')],
  'find-person': [grant('data-protection-officer', 'fund')],
  'audit-trail': [grant('auditor', 'fund'), grant('national-auditor', 'national')],
  'evaluation-extract': [grant('supervisor', 'fund'), grant('national-analyst', 'national')],
};
