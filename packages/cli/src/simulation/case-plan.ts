/**
 * The first pass of a simulation: every case of the year drawn up front, as a few facts — when it
 * is referred, who it is, which path it takes. The detailed steps of each case are written later,
 * from its own seed, when the case comes up (see `case-script.ts`); keeping only these facts in
 * memory lets a national year (100,000 referrals) be planned in a few megabytes.
 */
import {
  addDays,
  DetectorKind,
  type AgeBand,
  type CareType,
  type DetectionMode,
  type ReferralReason,
  type RenunciationCause,
  type RenunciationDuration,
} from '@misas/core';
import type { Calibration, Weekday } from './calibration.ts';
import { Random } from './random.ts';

/** The path a case takes from referral to its end. */
export type CasePath = 'redirected-on-form' | 'redirected-at-triage' | 'declined' | 'unreachable' | 'consent-refused' | 'accompanied';

/** How an accompaniment whose plan was agreed ends. */
export type Ending = 'carried-out' | 'person-withdrew' | 'consent-withdrawn' | 'erasure-requested' | 'moved-away';

/** What the front and back of the referral form say, drawn from the calibration. */
export interface CaseProfile {
  readonly reasons: readonly ReferralReason[];
  readonly careRenunciation?: {
    readonly careTypes: readonly CareType[];
    readonly since: RenunciationDuration;
    readonly causes: readonly RenunciationCause[];
  };
  readonly detectorKind: DetectorKind;
  readonly detectionMode: DetectionMode;
  readonly consent: 'signed' | 'remote-pending-confirmation';
  readonly ageBand: AgeBand;
}

/** One case of the year, before any command is sent. */
export interface PlannedCase {
  readonly index: number;
  readonly caseId: string;
  readonly fundId: string;
  /** The seed of this case's own generator: its steps do not depend on the other cases. */
  readonly seed: number;
  readonly referralDate: string;
  readonly profile: CaseProfile;
  readonly path: CasePath;
  /** Set for the accompanied path only. */
  readonly ending: Ending | null;
  /** Whether the accompaniment opens at least one right / carries out care (accompanied path only). */
  rightsOpened: boolean;
  careCarriedOut: boolean;
}

const weekdays: readonly Weekday[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Every day of [from, to] with its weight, for drawing referral dates. */
function weightedDays(from: string, to: string, calibration: Calibration): { days: string[]; cumulative: number[] } {
  const days: string[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const weekday = weekdays[new Date(`${day}T00:00:00Z`).getUTCDay()] ?? 'monday';
    total += calibration.weekdayWeights[weekday] ?? 0;
    days.push(day);
    cumulative.push(total);
  }
  if (total <= 0) throw new RangeError(`No day of ${from}..${to} has a positive weekday weight`);
  return { days, cumulative };
}

function drawDay(random: Random, { days, cumulative }: { days: string[]; cumulative: number[] }): string {
  const total = cumulative.at(-1) ?? 0;
  const target = random.next() * total;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((cumulative[middle] ?? 0) > target) high = middle;
    else low = middle + 1;
  }
  return days[low] ?? days[0] ?? '';
}

const careReasons = new Set<ReferralReason>(['care-renunciation', 'care-renunciation-disability']);

function drawPath(random: Random, calibration: Calibration): CasePath {
  const { paths } = calibration;
  const accompanied = 1 - (paths.redirectedOnForm + paths.redirectedAtTriage + paths.declined + paths.unreachable + paths.consentRefused);
  return random.weighted({
    'redirected-on-form': paths.redirectedOnForm,
    'redirected-at-triage': paths.redirectedAtTriage,
    declined: paths.declined,
    unreachable: paths.unreachable,
    'consent-refused': paths.consentRefused,
    accompanied,
  });
}

function drawEnding(random: Random, calibration: Calibration): Ending {
  const { endings } = calibration;
  const early = endings.personWithdrew + endings.consentWithdrawn + endings.erasureRequested + endings.movedAway;
  return random.weighted({
    'carried-out': Math.max(0, 1 - early),
    'person-withdrew': endings.personWithdrew,
    'consent-withdrawn': endings.consentWithdrawn,
    'erasure-requested': endings.erasureRequested,
    'moved-away': endings.movedAway,
  });
}

function drawProfile(random: Random, calibration: Calibration, path: CasePath): CaseProfile {
  const reasons: ReferralReason[] = [random.weighted(calibration.mainReason)];
  if (random.chance(calibration.secondReasonChance)) {
    const second = random.weighted(calibration.mainReason);
    if (!reasons.includes(second)) reasons.push(second);
  }
  // Only the form's box sends a case to the social service on receipt, so only that path ticks it.
  if (path === 'redirected-on-form') reasons.push('complex-social-situation');
  const givesUpCare = reasons.some((reason) => careReasons.has(reason));
  const detectorKind = random.weighted(calibration.detectorKinds);
  const detectionMode: DetectionMode = random.chance(calibration.phoneDetection) ? 'phone' : 'face-to-face';
  const consent = detectionMode === 'phone' && random.chance(calibration.remoteConsentWhenPhone) ? 'remote-pending-confirmation' : 'signed';
  const profile: CaseProfile = { reasons, detectorKind, detectionMode, consent, ageBand: random.weighted(calibration.ageBands) };
  if (!givesUpCare) return profile;
  const careTypes = random.weightedDistinct(calibration.careTypes, random.chance(calibration.secondCareTypeChance) ? 2 : 1);
  const causes = random.weightedDistinct(calibration.renunciationCauses, 1 + (random.chance(calibration.extraCauseChance) ? 1 : 0));
  return { ...profile, careRenunciation: { careTypes, since: random.weighted(calibration.renunciationSince), causes } };
}

/** How every case id of a simulation starts: `sim-SEED-`. */
export function simulationCaseIdPrefix(seed: number): string {
  return `sim-${seed}-`;
}

/**
 * Draws `cases` referrals over [from, to] (weekday-weighted), sorted by referral date, each with
 * its profile and path; then decides which accompaniments open rights and carry out care. Case ids
 * are `caseIdPrefix` (default `sim-SEED-`) and the case's number.
 */
export function planCases(options: { cases: number; from: string; to: string; seed: number; calibration: Calibration; caseIdPrefix?: string }): PlannedCase[] {
  const { cases, from, to, seed, calibration } = options;
  const prefix = options.caseIdPrefix ?? simulationCaseIdPrefix(seed);
  const random = new Random(seed);
  const calendar = weightedDays(from, to, calibration);
  const dates = Array.from({ length: cases }, () => drawDay(random, calendar)).sort();
  const width = String(cases).length;
  const planned = dates.map((referralDate, index): PlannedCase => {
    const path = drawPath(random, calibration);
    return {
      index,
      caseId: `${prefix}${String(index + 1).padStart(width, '0')}`,
      fundId: calibration.fundIds[index % calibration.fundIds.length] ?? 'cpam-22',
      seed: random.seed(),
      referralDate,
      profile: drawProfile(random, calibration, path),
      path,
      ending: path === 'accompanied' ? drawEnding(random, calibration) : null,
      rightsOpened: false,
      careCarriedOut: false,
    };
  });
  assignOutcomes(planned, calibration, random);
  return planned;
}

/**
 * Decides who among the accompanied gets a right opened and who carries out care, so that the
 * shares meet the targets. Each case gets a propensity (its reasons, whether it ended early), scaled
 * so that they add up to target × accompaniments; systematic sampling then picks the cases: each is
 * picked with its own propensity, and the number picked is within one of the target. Independent
 * draws would leave a 200-case run several points off the target by chance alone.
 */
function assignOutcomes(planned: PlannedCase[], calibration: Calibration, random: Random): void {
  const accompanied = planned.filter((plannedCase) => plannedCase.path === 'accompanied');
  const { propensity, targets } = calibration;
  const early = (c: PlannedCase) => (c.ending === 'carried-out' ? 1 : propensity.whenEndedEarly);
  const rightsWeights = accompanied.map(
    (c) => early(c) * (c.profile.reasons.includes('rights-access') ? propensity.rightsWhenRightsReason : propensity.rightsOtherwise),
  );
  const careWeights = accompanied.map(
    (c) => early(c) * (c.profile.careRenunciation ? propensity.careWhenCareGivenUp : propensity.careOtherwise),
  );
  const rights = systematicSample(inclusionChances(rightsWeights, targets.rightsShare), random.next());
  const care = systematicSample(inclusionChances(careWeights, targets.careShare), random.next());
  accompanied.forEach((c, i) => {
    c.rightsOpened = rights[i] ?? false;
    c.careCarriedOut = care[i] ?? false;
  });
}

/** Chances proportional to the weights, adding up to share × n, none above 1 (the excess goes to the others). */
export function inclusionChances(weights: readonly number[], share: number): number[] {
  const wanted = share * weights.length;
  const chances = weights.map(() => 0);
  const capped = new Set<number>();
  for (let round = 0; round < 10; round++) {
    const free = weights.map((w, i) => (capped.has(i) ? 0 : w));
    const freeTotal = free.reduce((sum, w) => sum + w, 0);
    const left = wanted - capped.size;
    if (freeTotal <= 0 || left <= 0) break;
    let overflow = false;
    free.forEach((w, i) => {
      if (capped.has(i)) return;
      const chance = (w * left) / freeTotal;
      if (chance >= 1) {
        capped.add(i);
        overflow = true;
      }
      chances[i] = Math.min(1, chance);
    });
    if (!overflow) break;
    capped.forEach((i) => (chances[i] = 1));
  }
  return chances;
}

/** Systematic sampling: walks the cumulative chances from a random start and picks where it crosses a whole number. */
export function systematicSample(chances: readonly number[], start: number): boolean[] {
  let cumulative = start;
  return chances.map((chance) => {
    const before = Math.floor(cumulative);
    cumulative += chance;
    return Math.floor(cumulative) > before;
  });
}

/** Referrals to simulate for a number of people accompanied (plan agreed), e.g. the 80,000 of a national year. */
export function referralsFor(accompanied: number, calibration: Calibration): number {
  const { paths } = calibration;
  const accompaniedShare = 1 - (paths.redirectedOnForm + paths.redirectedAtTriage + paths.declined + paths.unreachable + paths.consentRefused);
  return Math.round(accompanied / accompaniedShare);
}
