/**
 * The accompaniment: consent confirmed at the call that reaches the person, needs identified, a
 * plan of actions and partner referrals agreed, carried out, its gains recorded, and the case
 * closed — or ended early by the person (withdrawal, consent withdrawn, erasure request, move).
 */
import type { ActionKind, CareType, Partner, PlanStrand, ProblemCategory, RequestChannel } from '@misas/core';
import { untilReached } from './contact-paths.ts';
import { dayOfMillis, logTime, type ScriptContext, type Segment, type Step, type Timeline } from './timeline.ts';

const actionKinds: Readonly<Record<PlanStrand, readonly ActionKind[]>> = {
  rights: ['c2s-application', 'ass-application', 'basic-cover-update', 'carte-vitale-request', 'ameli-account-setup'],
  care: ['orientation-in-care-system', 'choose-professional', 'book-appointment', 'transport-arrangement', 'out-of-pocket-reduction'],
  prevention: ['prevention-offer'],
  social: ['partner-hand-over'],
  digital: ['digital-workshop', 'ameli-account-setup'],
};

const bandFloor = { 'under-18': 16, '18-25': 18, '26-39': 26, '40-59': 40, '60-69': 60, '70-79': 70, '80-plus': 80 } as const;

/** Problems and strands identified with the person, from the reasons of the referral and the gains to come. */
function needsOf(context: ScriptContext): { problems: ProblemCategory[]; strands: PlanStrand[] } {
  const { plannedCase, random } = context;
  const reasons = plannedCase.profile.reasons;
  const problems = new Set<ProblemCategory>();
  const strands = new Set<PlanStrand>();
  if (reasons.includes('rights-access') || plannedCase.rightsOpened) (problems.add('rights-and-procedures'), strands.add('rights'));
  if (reasons.includes('care-renunciation') || plannedCase.careCarriedOut) (problems.add('care-and-health'), strands.add('care'));
  if (reasons.includes('care-renunciation-disability')) (problems.add('disability'), problems.add('care-and-health'), strands.add('care'));
  if (reasons.includes('digital-fragility')) (problems.add('digital-inclusion'), strands.add('digital'));
  if (random.chance(0.2)) strands.add('prevention');
  if (strands.size === 0) (problems.add('other'), strands.add('prevention'));
  return { problems: [...problems], strands: [...strands] };
}

/** The early ending's closing step. */
function earlyEndStep(context: ScriptContext, at: number): Step {
  const { counsellor, plannedCase, random } = context;
  switch (plannedCase.ending) {
    case 'consent-withdrawn':
      return { at, command: { type: 'WithdrawConsent', actor: counsellor, data: {} } };
    case 'erasure-requested': {
      const channel = random.pick<RequestChannel>(['letter', 'email', 'phone', 'in-person']);
      return { at, command: { type: 'RequestErasure', actor: counsellor, data: { requestedOn: dayOfMillis(at), channel } } };
    }
    case 'moved-away':
      return { at, command: { type: 'CloseCase', actor: counsellor, data: { reason: 'moved-away', orientedTo: [] } } };
    default:
      return { at, command: { type: 'CloseCase', actor: counsellor, data: { reason: 'person-withdrew', orientedTo: [] } } };
  }
}

/**
 * An accompanied case, in two segments: from referral to the call that reaches the person and
 * records the consent (written on the referral day), then the needs, the plan and everything after
 * it (written at that call, when it comes due). The draws come in the same order as if the script
 * were written at once, so a case's steps do not depend on when its second segment is written.
 */
export function accompaniedScript(context: ScriptContext, timeline: Timeline): Segment {
  const { calibration, counsellor, plannedCase, random } = context;
  const reached = untilReached(context, timeline);
  const partners: Partner[] = random.chance(calibration.partnerReferralChance)
    ? random.weightedDistinct(calibration.partners, random.int(1, 2))
    : [];
  // The call that reaches the person collects (or confirms) consent and the needs.
  const consentAt = timeline.sameSitting(reached.reachedAt);
  const remote = plannedCase.profile.consent === 'remote-pending-confirmation';
  const consent: Step = {
    at: consentAt,
    command: { type: 'RecordConsent', actor: counsellor, data: { decision: 'given', mode: remote ? 'phone' : 'signed-form', sharingWith: partners } },
  };
  // Every later step comes after `consentAt` (`sameSitting` and `after` never return their anchor).
  return { steps: [...reached.steps, consent], next: { at: consentAt, write: () => ({ steps: afterConsent(context, timeline, consentAt, partners) }) } };
}

/** The needs identified at the call, the plan agreed a few days later, and what follows it up to the closure. */
function afterConsent(context: ScriptContext, timeline: Timeline, consentAt: number, partners: readonly Partner[]): Step[] {
  const { calibration, counsellor, plannedCase, random } = context;
  const { profile, caseId } = plannedCase;
  const steps: Step[] = [];
  if (profile.consent === 'remote-pending-confirmation') {
    steps.push({ at: timeline.afterDelay(consentAt, calibration.delays.welcomeLetter), command: { type: 'RecordWelcomeLetterSent', actor: counsellor, data: {} } });
  }
  const needs = needsOf(context);
  const noGp = random.chance(calibration.noGpChance);
  if (noGp && !needs.strands.includes('rights')) needs.strands.push('rights');
  const needsAt = timeline.sameSitting(consentAt);
  steps.push({ at: needsAt, command: { type: 'IdentifyNeeds', actor: counsellor, data: needs } });

  // The plan, built and agreed with the person a few days later.
  let at = timeline.afterDelay(needsAt, calibration.delays.plan);
  const planDay = dayOfMillis(at);
  const planAt = at;
  if (noGp) {
    const age = bandFloor[profile.ageBand] + random.int(0, 9);
    const aldProtocolExpiresOn = random.chance(0.1) ? dayOfMillis(timeline.after(planAt, random.int(10, 120))) : undefined;
    steps.push({
      at,
      command: {
        type: 'AssessGpSearch',
        actor: counsellor,
        data: {
          profile: {
            ...(aldProtocolExpiresOn ? { aldProtocolExpiresOn } : {}),
            hasScheduledOrUrgentCare: profile.careRenunciation !== undefined && random.chance(0.5),
            livesWithDisabilityOrInvalidity: profile.reasons.includes('care-renunciation-disability'),
            isC2sBeneficiary: random.chance(0.3),
            isDependent: age >= 70 && random.chance(0.5),
            age,
          },
        },
      },
    });
  }
  const actionCount = random.int(calibration.actionsPerPlan.min, calibration.actionsPerPlan.max);
  const later: Step[] = [];
  for (let n = 1; n <= actionCount; n++) {
    const strand = n === 1 && noGp ? 'rights' : random.pick(needs.strands);
    const kind: ActionKind = n === 1 && noGp ? 'declare-gp' : random.pick(actionKinds[strand]);
    const actionId = `${caseId}-a${n}`;
    const dueAt = timeline.afterDelay(planAt, calibration.delays.action);
    at = timeline.sameSitting(at);
    const owner = random.chance(0.5) ? { kind: 'person' as const } : { kind: 'counsellor' as const, counsellorId: counsellor.id };
    steps.push({ at, command: { type: 'PlanAction', actor: counsellor, data: { actionId, strand, kind, owner, dueDate: dayOfMillis(dueAt) } } });
    // Most actions are done by their due date, some a little late (the scheduler reminds the counsellor).
    const doneAt = timeline.after(planAt, Math.max(1, Math.round((dueAt - planAt) / 86_400_000) + random.int(-10, 5)));
    later.push({ at: doneAt, command: { type: 'UpdateActionStatus', actor: counsellor, data: { actionId, status: 'done' } } });
    later.push(logTime(context, timeline.sameSitting(doneAt), 'follow-up', strand));
  }
  const completedPartners: Partner[] = [];
  partners.forEach((partner, i) => {
    const referralId = `${caseId}-p${i + 1}`;
    const strand: PlanStrand = needs.strands.includes('care') && random.chance(0.5) ? 'care' : random.pick(needs.strands);
    at = timeline.sameSitting(at);
    steps.push({ at, command: { type: 'ReferToPartner', actor: counsellor, data: { referralId, partner, strand, sharesPersonalData: true } } });
    const answeredAt = timeline.afterDelay(planAt, calibration.delays.partnerAnswer);
    const status = random.chance(calibration.partnerRefuses) ? 'refused' : 'completed';
    if (status === 'completed') completedPartners.push(partner);
    later.push({ at: answeredAt, command: { type: 'UpdatePartnerReferral', actor: counsellor, data: { referralId, status } } });
    later.push(logTime(context, timeline.sameSitting(answeredAt), 'partner-coordination', strand));
  });
  at = timeline.sameSitting(at);
  steps.push({ at, command: { type: 'AgreePlan', actor: counsellor, data: {} } });
  steps.push(logTime(context, timeline.sameSitting(at), 'planning'));

  // The gains: kept whatever the ending, placed before an early end.
  const ending = plannedCase.ending ?? 'carried-out';
  const endAt = ending === 'carried-out' ? Number.POSITIVE_INFINITY : timeline.afterDelay(planAt, calibration.delays.earlyEnd);
  const gainAt = () =>
    ending === 'carried-out' ? timeline.afterDelay(planAt, calibration.delays.outcome) : planAt + 60_000 + Math.floor(random.next() * (endAt - planAt - 120_000));
  const gains: Step[] = [];
  if (plannedCase.rightsOpened) {
    const count = 1 + (random.chance(calibration.extraRightChance) ? 1 : 0);
    for (const right of random.weightedDistinct(calibration.rightsOpened, count)) {
      gains.push({ at: gainAt(), command: { type: 'RecordOutcome', actor: counsellor, data: { outcome: { kind: 'right-opened', right } } } });
    }
  }
  if (plannedCase.careCarriedOut) {
    const careType: CareType = profile.careRenunciation ? random.pick(profile.careRenunciation.careTypes) : random.weighted(calibration.careTypes);
    const careAt = gainAt();
    gains.push({ at: careAt, command: { type: 'RecordOutcome', actor: counsellor, data: { outcome: { kind: 'care-carried-out', careType } } } });
    const saving = calibration.outOfPocketSaved;
    if (random.chance(saving.chanceWithCare)) {
      const amountCents = Math.max(100, random.delay({ median: saving.medianCents, min: 100, max: saving.maxCents }));
      gains.push({ at: careAt, command: { type: 'RecordOutcome', actor: counsellor, data: { outcome: { kind: 'out-of-pocket-saved', amountCents, careType } } } });
    }
  }

  if (ending !== 'carried-out') {
    // The person stops: what would have come later never happens.
    const before = [...steps, ...later.filter((step) => step.at < endAt), ...gains].filter((step) => step.at < endAt);
    return [...before, earlyEndStep(context, endAt)];
  }
  const lastAt = Math.max(planAt, ...later.map((step) => step.at), ...gains.map((step) => step.at), ...steps.map((step) => step.at));
  const closeAt = timeline.afterDelay(lastAt, calibration.delays.closure);
  const reason = gains.length > 0 ? 'objectives-met' : random.weighted(calibration.closureWithoutOutcome);
  return [
    ...steps,
    ...later,
    ...gains,
    { at: closeAt, command: { type: 'CloseCase', actor: counsellor, data: { reason, orientedTo: completedPartners } } },
    logTime(context, timeline.sameSitting(closeAt), 'follow-up'),
  ];
}
