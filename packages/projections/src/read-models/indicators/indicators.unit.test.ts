import { describe, expect, it } from 'vitest';
import { catchUp } from '../../engine/catch-up.ts';
import { readModel } from '../../engine/generations.ts';
import { caseRegisterName, caseRegisterProjection } from '../register/register-projection.ts';
import { CaseLogBuilder } from '../testing/case-log-builder.ts';
import { computeIndicators } from './indicators.ts';
import { registerRowsForPeriod } from './load-rows.ts';

const healthProfessional = { kind: 'health-professional', name: 'Dr A', service: 'Cabinet' } as const;

/**
 * Ten cases referred in the first quarter of 2026 (and one in April), with known outcomes:
 *
 * | case | fund | path | referral → contact → plan → closure (days) | outcomes |
 * | c01 | a | closed, objectives met | 3, 2, 30 (35 in all) | c2s; specialist exam; 15 € saved |
 * | c02 | a | closed, objectives met | 10, 1, 40 (51) | ameli account, c2s |
 * | c03 | a | closed, partly met | 1, 4, 30 (35) | consultation; 50 € saved |
 * | c04 | a | closed, handed over | 2, 1, 30 (33) | medical devices |
 * | c05 | a | still accompanied, objects to evaluation | 10, 1 | complementary cover |
 * | c06 | b | closed unreachable (3 failed calls) | — (10) | |
 * | c07 | b | closed, consent refused | 1 (1) | |
 * | c08 | b | declined | | |
 * | c09 | b | redirected (complex social situation) | | |
 * | c10 | b | awaiting triage | | |
 */
async function firstQuarter() {
  const log = new CaseLogBuilder();
  const accompany = async (id: string, days: { referred: string; reached: string; planned: string }, options: Parameters<CaseLogBuilder['refer']>[2] = {}) => {
    await log.reached(id, { referred: days.referred, accepted: days.referred, reached: days.reached }, options);
    await log.agreePlan(id, days.planned);
  };
  await accompany('c01', { referred: '2026-01-05', reached: '2026-01-08', planned: '2026-01-10' }, { fundId: 'a' });
  await log.run('c01', '2026-01-10', { type: 'ReferToPartner', data: { referralId: 'p1', partner: 'back-office', strand: 'rights' } });
  await log.run('c01', '2026-01-10', { type: 'ReferToPartner', data: { referralId: 'p2', partner: 'back-office', strand: 'rights' } });
  await log.run('c01', '2026-01-10', { type: 'ReferToPartner', data: { referralId: 'p3', partner: 'ccas', strand: 'care' } });
  await log.run('c01', '2026-01-10', { type: 'LogTime', data: { minutes: 45, activity: 'planning', strand: 'rights' } });
  await log.outcome('c01', '2026-01-20', { kind: 'right-opened', right: 'c2s' });
  await log.outcome('c01', '2026-01-25', { kind: 'care-carried-out', careType: 'specialist-acts-and-exams' });
  await log.outcome('c01', '2026-01-25', { kind: 'out-of-pocket-saved', amountCents: 1_500 });
  await log.close('c01', '2026-02-09', 'objectives-met');

  await accompany('c02', { referred: '2026-01-12', reached: '2026-01-22', planned: '2026-01-23' }, { fundId: 'a', form: { detector: healthProfessional } });
  await log.outcome('c02', '2026-02-01', { kind: 'right-opened', right: 'ameli-account' });
  await log.outcome('c02', '2026-02-02', { kind: 'right-opened', right: 'c2s' });
  await log.close('c02', '2026-03-04', 'objectives-met');

  await accompany('c03', { referred: '2026-01-15', reached: '2026-01-16', planned: '2026-01-20' }, { fundId: 'a', form: { detector: healthProfessional } });
  await log.outcome('c03', '2026-02-01', { kind: 'care-carried-out', careType: 'consultation' });
  await log.outcome('c03', '2026-02-01', { kind: 'out-of-pocket-saved', amountCents: 5_000 });
  await log.close('c03', '2026-02-19', 'objectives-partly-met');

  await accompany('c04', { referred: '2026-02-02', reached: '2026-02-04', planned: '2026-02-05' }, { fundId: 'a' });
  await log.run('c04', '2026-02-05', { type: 'ReferToPartner', data: { referralId: 'p1', partner: 'mdph', strand: 'care' } });
  await log.run('c04', '2026-02-05', { type: 'ReferToPartner', data: { referralId: 'p2', partner: 'ccas', strand: 'rights' } });
  await log.outcome('c04', '2026-02-20', { kind: 'care-carried-out', careType: 'medical-devices' });
  await log.run('c04', '2026-03-07', { type: 'CloseCase', data: { reason: 'handed-over-to-partner', orientedTo: ['mdph', 'ccas'] } });

  await accompany('c05', { referred: '2026-02-03', reached: '2026-02-13', planned: '2026-02-14' }, { fundId: 'a', form: { objectsToEvaluation: true } });
  await log.outcome('c05', '2026-03-01', { kind: 'right-opened', right: 'complementary-cover' });

  await log.refer('c06', '2026-02-10', { fundId: 'b' });
  await log.accept('c06', '2026-02-11');
  await log.review('c06', '2026-02-11');
  for (const day of ['2026-02-12', '2026-02-15', '2026-02-20']) await log.contact('c06', day, false);

  await log.reached('c07', { referred: '2026-02-11', accepted: '2026-02-11', reached: '2026-02-12' }, { fundId: 'b' });
  await log.run('c07', '2026-02-12', { type: 'RecordConsent', data: { decision: 'refused', mode: 'phone' } });

  await log.refer('c08', '2026-02-16', { fundId: 'b' });
  await log.run('c08', '2026-02-16', { type: 'LogTime', data: { minutes: 30, activity: 'triage' } });
  await log.run('c08', '2026-02-17', { type: 'DeclineReferral', data: { reason: 'not-relevant' } });
  await log.run('c08', '2026-02-17', { type: 'LogTime', data: { minutes: 15, activity: 'triage' } });
  await log.refer('c09', '2026-02-17', { fundId: 'b', form: { reasons: ['complex-social-situation'], careRenunciation: undefined } });
  await log.refer('c10', '2026-03-30', { fundId: 'b', form: { reasons: ['digital-fragility'], careRenunciation: undefined } });
  // Referred after the period: never counted.
  await log.reached('c11', { referred: '2026-04-01', accepted: '2026-04-01', reached: '2026-04-02' }, { fundId: 'a' });
  await log.run('c11', '2026-04-02', { type: 'LogTime', data: { minutes: 100, activity: 'contact' } });

  await catchUp(log.storage.events, log.storage.projections, caseRegisterProjection());
  return registerRowsForPeriod(readModel(log.storage.projections, caseRegisterName), { from: '2026-01-01', to: '2026-03-31' });
}

const quarter = { from: '2026-01-01', to: '2026-03-31' } as const;

describe('indicators over a hand-computed population', () => {
  it('given ten referrals of the quarter, then the counts, headline shares and gains are exactly as computed by hand', async () => {
    const rows = await firstQuarter();
    expect(rows.map((r) => r.caseId)).toEqual(['c01', 'c02', 'c03', 'c04', 'c05', 'c06', 'c07', 'c08', 'c09', 'c10']);
    const { overall } = computeIndicators(rows, quarter);
    expect(overall).toMatchObject({ referred: 10, accepted: 7, redirected: 1, declined: 1, awaitingTriage: 1, accompaniedAndClosed: 4 });
    expect(overall.rightsShare).toEqual({ numerator: 2, denominator: 4, value: 0.5 });
    expect(overall.careShare).toEqual({ numerator: 3, denominator: 4, value: 0.75 });
    expect(overall.outcomesByType).toEqual({ 'right-opened': 4, 'care-carried-out': 3, 'out-of-pocket-saved': 2 });
    expect(overall.rightsOpened).toMatchObject({ c2s: 2, 'ameli-account': 1, 'complementary-cover': 1, ald: 0 });
    expect(overall.careCarriedOut).toEqual({ consultation: 1, 'specialist-acts-and-exams': 1, 'medical-devices': 1, surgery: 0, pharmacy: 0, other: 0 });
    expect(overall.outOfPocketSaved).toEqual({ totalCents: 6_500, cases: 2 });
    expect(overall.closureReasons).toEqual({
      'objectives-met': 2,
      'objectives-partly-met': 1,
      'handed-over-to-partner': 1,
      'person-withdrew': 0,
      'consent-refused': 1,
      'consent-withdrawn': 0,
      'erasure-requested': 0,
      unreachable: 1,
      'moved-away': 0,
      deceased: 0,
      other: 0,
    });
    expect(overall.declineReasons).toMatchObject({ 'not-relevant': 1, 'erasure-requested': 0 });
    expect(overall.partnerReferrals).toMatchObject({ 'back-office': { referrals: 2, cases: 1 }, ccas: { referrals: 2, cases: 2 }, mdph: { referrals: 1, cases: 1 }, cpts: { referrals: 0, cases: 0 } });
    expect(overall.orientedTo).toMatchObject({ mdph: 1, ccas: 1, 'back-office': 0 });
  });

  it('durations: median and 90th percentile by nearest rank, over the cases where both ends exist', async () => {
    const { overall } = computeIndicators(await firstQuarter(), quarter);
    // [1, 1, 2, 3, 10, 10]: rank ⌈3⌉ = 3 → 2 (the lower middle, not 2.5); rank ⌈5.4⌉ = 6 → 10.
    expect(overall.referralToFirstContact).toEqual({ count: 6, median: 2, p90: 10 });
    // [1, 1, 1, 2, 4]
    expect(overall.firstContactToPlan).toEqual({ count: 5, median: 1, p90: 4 });
    // [30, 30, 30, 40]
    expect(overall.planToClosure).toEqual({ count: 4, median: 30, p90: 40 });
    // [1, 10, 33, 35, 35, 51]
    expect(overall.referralToClosure).toEqual({ count: 6, median: 33, p90: 51 });
  });

  it('workload: minutes per referred case keep their numerator and denominator, by strand and by activity', async () => {
    const { overall } = computeIndicators(await firstQuarter(), quarter);
    expect(overall.minutesPerCase).toEqual({ numerator: 90, denominator: 10, value: 9 });
    expect(overall.minutesByStrand).toEqual({ rights: 45, care: 0, prevention: 0, social: 0, digital: 0, none: 45 });
    expect(overall.minutesByActivity).toMatchObject({ triage: 45, planning: 45, contact: 0 });
  });

  it('broken down by fund, each group has its own figures; a share with no denominator has value null', async () => {
    const report = computeIndicators(await firstQuarter(), { ...quarter, groupBy: 'fund' });
    expect(report.groupBy).toBe('fund');
    expect(report.groups.map((g) => [g.key, g.indicators.referred, g.indicators.accepted, g.indicators.accompaniedAndClosed])).toEqual([
      ['a', 5, 5, 4],
      ['b', 5, 2, 0],
    ]);
    expect(report.groups[0]?.indicators.rightsShare).toEqual({ numerator: 2, denominator: 4, value: 0.5 });
    expect(report.groups[1]?.indicators.rightsShare).toEqual({ numerator: 0, denominator: 0, value: null });
    expect(report.groups[1]?.indicators.planToClosure).toEqual({ count: 0, median: null, p90: null });
  });

  it('multi-valued dimensions put a case in each of its groups, and cases without care renunciation under none', async () => {
    const rows = await firstQuarter();
    const byReason = computeIndicators(rows, { ...quarter, groupBy: 'reason' });
    expect(byReason.groups.map((g) => [g.key, g.indicators.referred])).toEqual([
      ['care-renunciation', 8],
      ['complex-social-situation', 1],
      ['digital-fragility', 1],
      ['rights-access', 8],
    ]);
    const byCare = computeIndicators(rows, { ...quarter, groupBy: 'careType' });
    expect(byCare.groups.map((g) => [g.key, g.indicators.referred])).toEqual([
      ['none', 2],
      ['specialist-acts-and-exams', 8],
    ]);
    const byDetector = computeIndicators(rows, { ...quarter, groupBy: 'detectorKind' });
    expect(byDetector.groups.map((g) => [g.key, g.indicators.referred, g.indicators.careShare.value])).toEqual([
      ['external-partner', 8, 1],
      ['health-professional', 2, 0.5],
    ]);
    for (const groupBy of ['renunciationDuration', 'renunciationCause'] as const) {
      expect(computeIndicators(rows, { ...quarter, groupBy }).groups.map((g) => g.key)).toEqual(
        groupBy === 'renunciationDuration' ? ['3-to-12-months', 'none'] : ['none', 'out-of-pocket-cost'],
      );
    }
  });

  it('the period is inclusive on both ends and filters the rows given; objectors can be left out', async () => {
    const rows = await firstQuarter();
    expect(computeIndicators(rows, { from: '2026-01-05', to: '2026-01-05' }).overall.referred).toBe(1);
    expect(computeIndicators(rows, { from: '2026-03-30', to: '2026-12-31' }).overall.referred).toBe(1);
    expect(computeIndicators(rows, { from: '2026-01-06', to: '2026-01-11' }).overall.referred).toBe(0);
    const outsiders = computeIndicators(rows, { ...quarter, excludeObjectingToEvaluation: true });
    expect(outsiders.excludedObjectingToEvaluation).toBe(1);
    expect(outsiders.overall).toMatchObject({ referred: 9, accepted: 6, rightsOpened: { 'complementary-cover': 0 } });
    expect(() => computeIndicators(rows, { from: '2026-03-31', to: '2026-01-01' })).toThrow(RangeError);
    expect(() => computeIndicators(rows, { from: '2026-1-1', to: '2026-01-31' })).toThrow('from must be a day');
  });

  it('the register can be loaded for one fund only', async () => {
    const log = new CaseLogBuilder();
    await log.refer('x1', '2026-01-05', { fundId: 'a' });
    await log.refer('x2', '2026-01-05', { fundId: 'b' });
    await log.refer('x3', '2026-02-05', { fundId: 'a' });
    await catchUp(log.storage.events, log.storage.projections, caseRegisterProjection());
    const reader = readModel(log.storage.projections, caseRegisterName);
    const rows = await registerRowsForPeriod(reader, { from: '2026-01-01', to: '2026-01-31', fundId: 'a' });
    expect(rows.map((r) => r.caseId)).toEqual(['x1']);
  });

  it("given closures and a decline that follow the person's own requests, then they count under their reasons, like any other", async () => {
    const log = new CaseLogBuilder();
    const dpo = { role: 'data-protection-officer', id: 'dpo-1' } as const;
    await log.reached('withdrawn', { referred: '2026-01-05', accepted: '2026-01-05', reached: '2026-01-06' });
    await log.agreePlan('withdrawn', '2026-01-07');
    await log.run('withdrawn', '2026-01-20', { type: 'WithdrawConsent', data: {} });
    await log.reached('erased-open', { referred: '2026-01-05', accepted: '2026-01-05', reached: '2026-01-06' });
    await log.run('erased-open', '2026-01-21', { type: 'RequestErasure', data: { requestedOn: '2026-01-21', channel: 'letter' } }, dpo);
    await log.refer('erased-at-triage', '2026-01-05');
    await log.run('erased-at-triage', '2026-01-06', { type: 'RequestErasure', data: { requestedOn: '2026-01-06', channel: 'phone' } }, dpo);
    await catchUp(log.storage.events, log.storage.projections, caseRegisterProjection());
    const rows = await registerRowsForPeriod(readModel(log.storage.projections, caseRegisterName), quarter);

    const { overall } = computeIndicators(rows, quarter);

    expect(overall).toMatchObject({ referred: 3, accepted: 2, declined: 1, accompaniedAndClosed: 1 });
    expect(overall.closureReasons).toMatchObject({ 'consent-withdrawn': 1, 'erasure-requested': 1, 'person-withdrew': 0 });
    expect(overall.declineReasons).toMatchObject({ 'erasure-requested': 1, 'not-relevant': 0 });
    expect(overall.referralToClosure).toEqual({ count: 2, median: 15, p90: 16 });
  });
});
