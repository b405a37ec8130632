/**
 * A counsellor's caseload and agenda. Every query takes the day it is asked for (`today`, or the
 * week) from its caller: the read model holds dates, never "overdue" flags that would age.
 * Only open cases count: the actions and referrals of a closed case are no longer anyone's agenda.
 */
import { daysBetween, dayOf, type ActionStatus } from '@misas/core';
import type { ReadModelReader } from '../../engine/generations.ts';
import { isOpenStep, openSteps, type CaseStep, type OpenStep } from '../shared/case-step.ts';
import { requireDay, weekContaining } from '../shared/days.ts';
import { compareKeys, decodeDocument, keyPart, keyPartValue, scanDocuments } from '../shared/documents.ts';
import { CaseloadCase, type CaseloadAction, type CaseloadPartnerReferral } from './caseload-case.ts';
import { appointmentsOfDay, type DayAppointment } from './appointment-queries.ts';
import { caseloadByCounsellorCollection, caseloadCasesCollection, counsellorIndexPrefix, type CounsellorRef } from './caseload-projection.ts';

/** An action still to do on one of the counsellor's cases, whoever carries it out. */
export interface AgendaAction extends CaseloadAction {
  readonly caseId: string;
}

/** An overdue action: due before the day asked about, neither done nor cancelled. */
export interface OverdueAction extends AgendaAction {
  readonly daysOverdue: number;
}

/** A partner referral with no answer yet (`sent` or `acknowledged`). */
export interface AwaitingPartnerReferral extends CaseloadPartnerReferral {
  readonly caseId: string;
  /** The follow-up date is past (`followUpBy` before the day asked about). */
  readonly followUpOverdue: boolean;
}

/** An open case without contact with the person for a while. */
export interface CaseWithoutContact {
  readonly caseId: string;
  readonly status: CaseStep;
  /**
   * What the silence is counted from: the last contact (a call or message that reached the
   * person, an appointment held), the acceptance, or a later reopening.
   */
  readonly since: 'last-contact' | 'acceptance' | 'reopening';
  readonly sinceDay: string;
  readonly daysWithoutContact: number;
}

/** A counsellor's open cases, grouped by lifecycle step (case ids in order). */
export interface OpenCasesByState {
  readonly counsellorId: string;
  readonly total: number;
  readonly byState: Readonly<Record<OpenStep, readonly string[]>>;
}

const pending = (status: ActionStatus) => status !== 'done' && status !== 'cancelled';
const byDueDate = (a: AgendaAction, b: AgendaAction) =>
  compareKeys(a.dueDate, b.dueDate) || compareKeys(a.caseId, b.caseId) || compareKeys(a.actionId, b.actionId);

/** The open cases of a counsellor in their fund, in case-id order. */
export async function openCaseloadOf(reader: ReadModelReader, counsellor: CounsellorRef): Promise<CaseloadCase[]> {
  const prefix = counsellorIndexPrefix(counsellor);
  const cases: CaseloadCase[] = [];
  for await (const entry of scanDocuments(reader, caseloadByCounsellorCollection, { prefix })) {
    const caseId = entry.key.slice(prefix.length);
    const found = decodeDocument(CaseloadCase, await reader.get(caseloadCasesCollection, caseId), caseloadCasesCollection, caseId);
    // The index and the case are written in one transaction; a stale entry is skipped, not trusted.
    // The case itself must say it is this counsellor's, in this fund: what is returned is what access was decided on.
    if (found && found.fundId === counsellor.fundId && found.counsellorId === counsellor.counsellorId && isOpenStep(found.status)) cases.push(found);
  }
  return cases;
}

/** How many open cases each counsellor of `fundId` holds, by counsellor id (for a supervisor's overview). */
export async function openCaseloadSizes(reader: ReadModelReader, fundId: string): Promise<Array<{ readonly counsellorId: string; readonly openCases: number }>> {
  const sizes = new Map<string, number>();
  const prefix = `${keyPart(fundId)}/`;
  for await (const entry of scanDocuments(reader, caseloadByCounsellorCollection, { prefix })) {
    const rest = entry.key.slice(prefix.length);
    const counsellorId = keyPartValue(rest.slice(0, rest.indexOf('/')));
    sizes.set(counsellorId, (sizes.get(counsellorId) ?? 0) + 1);
  }
  return [...sizes].map(([counsellorId, openCases]) => ({ counsellorId, openCases }));
}

/** A counsellor's open cases by step. */
export async function openCasesByState(reader: ReadModelReader, counsellor: CounsellorRef): Promise<OpenCasesByState> {
  const byState = Object.fromEntries(openSteps.map((step) => [step, [] as string[]])) as Record<OpenStep, string[]>;
  const cases = await openCaseloadOf(reader, counsellor);
  for (const entry of cases) if (isOpenStep(entry.status)) byState[entry.status].push(entry.caseId);
  return { counsellorId: counsellor.counsellorId, total: cases.length, byState };
}

function pendingActions(cases: readonly CaseloadCase[]): AgendaAction[] {
  return cases.flatMap((entry) => entry.actions.filter((action) => pending(action.status)).map((action) => ({ ...action, caseId: entry.caseId })));
}

/**
 * The pending actions of a counsellor's cases due in the week (Monday to Sunday) containing
 * `weekOf`, whoever carries them out, by due date.
 */
export async function actionsDueInWeek(
  reader: ReadModelReader,
  counsellor: CounsellorRef,
  options: { readonly weekOf: string },
): Promise<{ readonly monday: string; readonly sunday: string; readonly actions: readonly AgendaAction[] }> {
  const { monday, sunday } = weekContaining(requireDay(options.weekOf, 'weekOf'));
  const actions = pendingActions(await openCaseloadOf(reader, counsellor)).filter((a) => a.dueDate >= monday && a.dueDate <= sunday);
  return { monday, sunday, actions: actions.sort(byDueDate) };
}

/** The pending actions due strictly before `today` (an action due today is not late yet). */
export async function overdueActions(reader: ReadModelReader, counsellor: CounsellorRef, options: { readonly today: string }): Promise<OverdueAction[]> {
  const today = requireDay(options.today, 'today');
  return pendingActions(await openCaseloadOf(reader, counsellor))
    .filter((action) => action.dueDate < today)
    .sort(byDueDate)
    .map((action) => ({ ...action, daysOverdue: daysBetween(action.dueDate, today) }));
}

/** Partner referrals awaiting an answer, by follow-up date; overdue when `followUpBy` is before `today`. */
export async function partnerReferralsAwaitingAnswer(
  reader: ReadModelReader,
  counsellor: CounsellorRef,
  options: { readonly today: string },
): Promise<AwaitingPartnerReferral[]> {
  const today = requireDay(options.today, 'today');
  const awaiting = (await openCaseloadOf(reader, counsellor)).flatMap((entry) =>
    entry.partnerReferrals
      .filter((referral) => referral.status === 'sent' || referral.status === 'acknowledged')
      .map((referral) => ({ ...referral, caseId: entry.caseId, followUpOverdue: referral.followUpBy < today })),
  );
  return awaiting.sort(
    (a, b) => compareKeys(a.followUpBy, b.followUpBy) || compareKeys(a.caseId, b.caseId) || compareKeys(a.referralId, b.referralId),
  );
}

/** When the silence of a case started: its latest contact, acceptance or reopening. */
function silenceStart(entry: CaseloadCase): Pick<CaseWithoutContact, 'since' | 'sinceDay'> | undefined {
  const candidates = [
    ['last-contact', entry.lastContactAt],
    ['acceptance', entry.acceptedAt],
    ['reopening', entry.reopenedAt],
  ] as const;
  let latest: Pick<CaseWithoutContact, 'since' | 'sinceDay'> | undefined;
  let latestAt = '';
  for (const [since, at] of candidates) {
    if (at !== null && at > latestAt) {
      latest = { since, sinceDay: dayOf(at) };
      latestAt = at;
    }
  }
  return latest;
}

/**
 * The accepted open cases with no contact with the person for at least `days` days on `today`
 * (the fund's `noContactAlertDays`): counted from the last contact — a call or message that
 * reached the person, whoever started it, or an appointment held; an unanswered call, a missed or
 * a merely planned appointment is no contact — or from the acceptance when there was none. A reopened
 * case counts from its reopening when that is later, so that it does not look silent since
 * before its closure. Cases still in triage are not accepted yet and are left out. Longest
 * silence first.
 */
export async function casesWithoutContact(
  reader: ReadModelReader,
  counsellor: CounsellorRef,
  options: { readonly today: string; readonly days: number },
): Promise<CaseWithoutContact[]> {
  const today = requireDay(options.today, 'today');
  if (!Number.isInteger(options.days) || options.days < 0) throw new RangeError('days must be a whole number ≥ 0');
  const silent: CaseWithoutContact[] = [];
  for (const entry of await openCaseloadOf(reader, counsellor)) {
    const start = silenceStart(entry);
    if (start === undefined) continue;
    const daysWithoutContact = daysBetween(start.sinceDay, today);
    if (daysWithoutContact >= options.days) silent.push({ caseId: entry.caseId, status: entry.status, ...start, daysWithoutContact });
  }
  return silent.sort((a, b) => b.daysWithoutContact - a.daysWithoutContact || compareKeys(a.caseId, b.caseId));
}

/** Everything on a counsellor's desk on `today`. */
export interface CounsellorAgenda {
  readonly counsellorId: string;
  readonly today: string;
  readonly openCases: OpenCasesByState;
  readonly dueThisWeek: Awaited<ReturnType<typeof actionsDueInWeek>>;
  readonly overdueActions: readonly OverdueAction[];
  readonly awaitingPartners: readonly AwaitingPartnerReferral[];
  readonly withoutContact: readonly CaseWithoutContact[];
  /** The counsellor's appointments of `today` (UTC day), in time order. */
  readonly appointmentsToday: readonly DayAppointment[];
}

/**
 * The whole agenda of a counsellor on `today`: the week is today's, silence counted in
 * `noContactDays` (the fund's `noContactAlertDays`), and the day's appointments.
 */
export async function counsellorAgenda(
  reader: ReadModelReader,
  counsellor: CounsellorRef,
  options: { readonly today: string; readonly noContactDays: number },
): Promise<CounsellorAgenda> {
  const { today, noContactDays } = options;
  return {
    counsellorId: counsellor.counsellorId,
    today,
    openCases: await openCasesByState(reader, counsellor),
    dueThisWeek: await actionsDueInWeek(reader, counsellor, { weekOf: today }),
    overdueActions: await overdueActions(reader, counsellor, { today }),
    awaitingPartners: await partnerReferralsAwaitingAnswer(reader, counsellor, { today }),
    withoutContact: await casesWithoutContact(reader, counsellor, { today, days: noContactDays }),
    appointmentsToday: await appointmentsOfDay(reader, counsellor, { day: today }),
  };
}
