/**
 * One readable line per event, for timelines, logs and command-line output. It only uses what
 * the event holds, so it never shows personal data.
 */
import type { DomainEvent } from './catalogue.ts';

type Describers = { readonly [E in DomainEvent as E['type']]: (data: E['data']) => string };

const list = (values: readonly string[]) => (values.length > 0 ? values.join(', ') : 'none');

const describers: Describers = {
  ReferralReceived: (d) =>
    `referral received (${d.channel}, fund ${d.fundId}) — reasons: ${list(d.referral.reasons)}` +
    (d.referral.careRenunciation ? `; care given up: ${list(d.referral.careRenunciation.careTypes)} (${list(d.referral.careRenunciation.causes)})` : ''),
  ReferralAccepted: (d) => `accepted at triage, assigned to ${d.counsellorId}; first contact due by ${d.firstContactDueBy}`,
  ReferralRedirected: (d) =>
    `redirected to the social service${d.automatic ? ' (complex social situation)' : ''}${d.handOff ? ` — hand-off ${d.handOff.referralId} sent, answer due by ${d.handOff.followUpBy}` : ''}`,
  ReferralDeclined: (d) => `declined at triage: ${d.reason}`,
  CounsellorAssigned: (d) => `reassigned to ${d.counsellorId}`,
  ReviewItemRecorded: (d) => `review — ${d.item}: ${d.finding}`,
  ReviewCompleted: (d) => `administrative review complete; needing action: ${list(d.itemsNeedingAction)}`,
  ReviewFindingUpdated: (d) => `review updated — ${d.item}: ${d.previous ?? 'no finding'} → ${d.finding}`,
  PlaceholderGpRecorded: (d) => `placeholder GP number set on ${d.setOn}`,
  ContactAttempted: (d) =>
    `${d.direction === 'incoming' ? 'contact from the person' : 'contact attempt'} #${d.attempt} by ${d.channel}: ${d.reached ? 'reached' : 'not reached'}${d.noteId ? ' (note in the vault)' : ''}`,
  AppointmentPlanned: (d) => `appointment ${d.appointmentId} planned at ${d.at} (${d.place}) with ${d.counsellorId}`,
  AppointmentMoved: (d) => `appointment ${d.appointmentId} moved to ${d.at} (${d.place}) with ${d.counsellorId}`,
  AppointmentHeld: (d) => `appointment ${d.appointmentId} held`,
  AppointmentMissed: (d) => `appointment ${d.appointmentId} missed by the ${d.missedBy}`,
  AppointmentCancelled: (d) => `appointment ${d.appointmentId} cancelled by the ${d.cancelledBy}`,
  ConsentRecorded: (d) =>
    `consent ${d.decision} (${d.mode})${d.decision === 'given' ? `; sharing with: ${list(d.sharingWith)}` : ''}`,
  ConsentScopeChanged: (d) => `consent scope changed; sharing with: ${list(d.sharingWith)}`,
  ConsentWithdrawn: () => 'consent withdrawn',
  ConsentOverridden: (d) => `consent overridden for ${d.purpose}${d.partner ? ` (${d.partner})` : ''}: ${d.justification}`,
  WelcomeLetterDue: (d) => `welcome letter due by ${d.dueBy}`,
  WelcomeLetterSent: () => 'welcome letter sent',
  NeedsIdentified: (d) => `needs identified — problems: ${list(d.problems)}; strands: ${list(d.strands)}`,
  GpSearchAssessed: (d) => `GP search: ${d.outcome}${d.criteriaMet.length > 0 ? ` (${list(d.criteriaMet)})` : ''}`,
  ActionPlanned: (d) => `action planned [${d.strand}] ${d.kind}, owner ${d.owner.kind}${'partner' in d.owner ? ` ${d.owner.partner}` : ''}, due ${d.dueDate}`,
  ActionStatusChanged: (d) => `action ${d.actionId}: ${d.status}`,
  PartnerReferralMade: (d) => `referred to ${d.partner} [${d.strand}], follow up by ${d.followUpBy}`,
  PartnerReferralUpdated: (d) => `partner referral ${d.referralId}: ${d.status}`,
  PlanAgreed: () => 'plan agreed with the person — accompaniment starts',
  OutcomeRecorded: (d) => {
    const outcome = d.outcome;
    if (outcome.kind === 'right-opened') return `outcome: right opened (${outcome.right})`;
    if (outcome.kind === 'care-carried-out') return `outcome: care carried out (${outcome.careType})`;
    return `outcome: out-of-pocket saved €${(outcome.amountCents / 100).toFixed(2)}`;
  },
  TimeSpentLogged: (d) => `${d.minutes} min spent (${d.activity}${d.strand ? `, ${d.strand}` : ''})`,
  NoteAdded: () => 'note added (text in the vault)',
  CaseClosed: (d) => `case closed: ${d.reason}; oriented to ${list(d.orientedTo)}`,
  CaseReopened: (d) => `case reopened: ${d.reason}`,
  DetectorNotificationRequested: (d) => `detector (${d.detectorKind}) to be told: ${d.notice}`,
  ReminderIssued: (d) => `reminder: ${d.kind}${d.ref ? ` (${d.ref})` : ''} due ${d.dueOn}`,
  EvaluationObjectionRecorded: (d) => (d.objects ? 'the person objects to the evaluation' : 'objection to the evaluation lifted'),
  PersonalDataRectified: (d) => `personal data rectified: ${list(d.fields)} (values in the vault)`,
  ErasureRequested: (d) => `erasure requested on ${d.requestedOn} (${d.channel})`,
  PersonalDataErased: (d) => `personal data erased (${d.reason})`,
};

/** A one-line, personal-data-free summary of an event. */
export function describeEvent(event: DomainEvent): string {
  const describe = describers[event.type] as (data: DomainEvent['data']) => string;
  return describe(event.data);
}
