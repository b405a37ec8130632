import { describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy } from './policy.ts';
import {
  FragilityGroup,
  FragilitySignal,
  GpSearchDecision,
  type GpSearchProfile,
  type OpeningAnswers,
  fragilityGroupOf,
  gpSearchDecision,
  screen,
  signalReasons,
  signalsFromAnswers,
} from './screening.ts';

const allWell: OpeningAnswers = {
  hasCarteVitale: true,
  hasDeclaredGp: true,
  hasComplementaryCover: true,
  lastHealthVisit: 'under-1-year',
};

describe('the fragility grid', () => {
  it('given the grid of seed 003, then it has 4 administrative, 6 observed, 2 isolation and 3 relation-to-care signals', () => {
    const counts = Object.fromEntries(
      FragilityGroup.options.map((group) => [group, FragilitySignal.options.filter((s) => fragilityGroupOf[s] === group).length]),
    );

    expect(counts).toEqual({ administrative: 4, observed: 6, isolation: 2, 'relation-to-care': 3 });
  });

  it('given every administrative signal, then each points to rights access', () => {
    for (const signal of FragilitySignal.options.filter((s) => fragilityGroupOf[s] === 'administrative')) {
      expect(signalReasons[signal]).toEqual(['rights-access']);
    }
  });
});

describe('signalsFromAnswers', () => {
  it('given all four answers going wrong, then every administrative gap and the missing consultation come out', () => {
    expect(
      signalsFromAnswers({ hasCarteVitale: false, hasDeclaredGp: false, hasComplementaryCover: false, lastHealthVisit: 'never' }),
    ).toEqual(['no-carte-vitale', 'no-complementary-cover', 'no-gp', 'no-recent-consultation']);
  });

  it.each([
    ['under-1-year', []],
    ['1-to-2-years', []],
    ['over-2-years', ['no-recent-consultation']],
    ['never', ['no-recent-consultation']],
    ['unknown', []],
  ] as const)('given a last visit %s, then the signals are %j', (lastHealthVisit, signals) => {
    expect(signalsFromAnswers({ ...allWell, lastHealthVisit })).toEqual(signals);
  });
});

describe('screen', () => {
  it('given nothing noticed, when screened, then no referral is suggested', () => {
    expect(screen({})).toEqual({ suggestReferral: false, suggestedReasons: [], triggers: [], cues: [] });
    expect(screen({ answers: allWell, signals: [] }).suggestReferral).toBe(false);
  });

  it('given Vanessa (no GP, lost carte Vitale, no cover, money trouble), when screened, then rights and care are suggested', () => {
    const result = screen({
      answers: { hasCarteVitale: false, hasDeclaredGp: false, hasComplementaryCover: false, lastHealthVisit: 'under-1-year' },
      signals: ['money-trouble', 'hard-to-adopt-healthy-habits'],
    });

    expect(result.suggestReferral).toBe(true);
    expect(result.suggestedReasons).toEqual(['rights-access', 'care-renunciation']);
    expect(result.triggers).toEqual([
      { signal: 'no-carte-vitale', group: 'administrative', reason: 'rights-access' },
      { signal: 'no-complementary-cover', group: 'administrative', reason: 'rights-access' },
      { signal: 'no-gp', group: 'administrative', reason: 'rights-access' },
      { signal: 'money-trouble', group: 'observed', reason: 'rights-access' },
      { signal: 'money-trouble', group: 'observed', reason: 'care-renunciation' },
    ]);
    expect(result.cues).toEqual(['hard-to-adopt-healthy-habits']);
  });

  it('given Diego (lost online, money trouble, gives up an exam), when screened, then digital fragility is suggested too', () => {
    const result = screen({ signals: ['online-procedures-trouble', 'money-trouble', 'fear-of-results'] });

    expect(result.suggestedReasons).toEqual(['rights-access', 'care-renunciation', 'digital-fragility']);
  });

  it('given Bernadette (possible disability, mobility, no cover), when screened, then the disability reason is suggested', () => {
    const result = screen({
      answers: { ...allWell, hasComplementaryCover: false },
      signals: ['possible-disability', 'mobility-problems'],
    });

    expect(result.suggestedReasons).toEqual(['rights-access', 'care-renunciation', 'care-renunciation-disability']);
  });

  it('given money trouble with no relatives to rely on, when screened, then a complex social situation is suggested by the pair', () => {
    const result = screen({ signals: ['money-trouble', 'no-relatives'] });

    expect(result.suggestedReasons).toEqual(['rights-access', 'care-renunciation', 'complex-social-situation']);
    expect(result.triggers.at(-1)).toEqual({
      signal: 'no-relatives',
      group: 'isolation',
      reason: 'complex-social-situation',
      combinedWith: ['money-trouble'],
    });
    expect(result.cues).toEqual([]);
  });

  it('given only no relatives or a withdrawn attitude, when screened, then nothing is suggested but the cues are kept', () => {
    const result = screen({ signals: ['withdrawn-or-angry', 'no-relatives'] });

    expect(result).toEqual({ suggestReferral: false, suggestedReasons: [], triggers: [], cues: ['withdrawn-or-angry', 'no-relatives'] });
  });

  it('given a signal both answered and noticed, in any order, when screened, then the result is the same and deduplicated', () => {
    const a = screen({ answers: { ...allWell, hasDeclaredGp: false }, signals: ['online-procedures-trouble', 'no-gp', 'no-gp'] });
    const b = screen({ signals: ['no-gp', 'online-procedures-trouble'] });

    expect(a).toEqual(b);
    expect(a.triggers.filter((trigger) => trigger.signal === 'no-gp')).toHaveLength(1);
  });

  it('given every signal, when screened, then every reason is suggested once, in the form order', () => {
    expect(screen({ signals: [...FragilitySignal.options].reverse() }).suggestedReasons).toEqual([
      'rights-access',
      'care-renunciation',
      'care-renunciation-disability',
      'digital-fragility',
      'complex-social-situation',
    ]);
  });
});

describe('gpSearchDecision', () => {
  const today = '2024-05-10';
  const nobody: GpSearchProfile = {
    hasScheduledOrUrgentCare: false,
    livesWithDisabilityOrInvalidity: false,
    isC2sBeneficiary: true,
    isDependent: false,
    age: 45,
  };

  it('given no criterion met, when assessed, then a placeholder GP is recorded and a letter sent', () => {
    const decision = gpSearchDecision(nobody, defaultPolicy, today);

    expect(decision).toEqual({ decision: 'placeholder-gp-and-letter', criteriaMet: [] });
    expect(GpSearchDecision.parse(decision)).toEqual(decision);
  });

  it.each([
    ['an ALD protocol expiring today', { aldProtocolExpiresOn: '2024-05-10' }, 'ald-protocol-expiring'],
    ['an ALD protocol expiring in exactly 60 days', { aldProtocolExpiresOn: '2024-07-09' }, 'ald-protocol-expiring'],
    ['scheduled or urgent care', { hasScheduledOrUrgentCare: true }, 'scheduled-or-urgent-care'],
    ['a disability or invalidity', { livesWithDisabilityOrInvalidity: true }, 'disability-or-invalidity'],
    ['no C2S', { isC2sBeneficiary: false }, 'not-c2s-beneficiary'],
    ['dependence at 70', { isDependent: true, age: 70 }, 'dependent-elderly'],
  ] as const)('given only %s, when assessed, then the accompaniment is systematic for that criterion', (_why, change, criterion) => {
    expect(gpSearchDecision({ ...nobody, ...change }, defaultPolicy, today)).toEqual({
      decision: 'systematic-accompaniment',
      criteriaMet: [criterion],
    });
  });

  it.each([
    ['an ALD protocol expiring in 61 days', { aldProtocolExpiresOn: '2024-07-10' }],
    ['an ALD protocol that expired yesterday', { aldProtocolExpiresOn: '2024-05-09' }],
    ['dependence at 69', { isDependent: true, age: 69 }],
    ['age 85 without dependence', { age: 85 }],
  ] as const)('given only %s, when assessed, then no criterion is met', (_why, change) => {
    expect(gpSearchDecision({ ...nobody, ...change }, defaultPolicy, today).decision).toBe('placeholder-gp-and-letter');
  });

  it('given several criteria, when assessed, then all are listed in the enum order', () => {
    const profile = { ...nobody, isC2sBeneficiary: false, hasScheduledOrUrgentCare: true, aldProtocolExpiresOn: '2024-06-01' };

    expect(gpSearchDecision(profile, defaultPolicy, today).criteriaMet).toEqual([
      'ald-protocol-expiring',
      'scheduled-or-urgent-care',
      'not-c2s-beneficiary',
    ]);
  });

  it('given a fund where doctors are not scarce, when assessed, then the accompaniment is always offered', () => {
    const policy = parsePolicy({ fundId: 'cpam-75', gpSearch: { doctorsScarce: false } });

    expect(gpSearchDecision(nobody, policy, today)).toEqual({
      decision: 'systematic-accompaniment',
      criteriaMet: ['doctors-not-scarce'],
    });
  });

  it('given a policy that turns criteria off, when assessed, then those criteria are ignored', () => {
    const policy = parsePolicy({
      fundId: 'cpam-22',
      gpSearch: { systematicWhen: { notC2sBeneficiary: false, aldProtocolExpiringWithinDays: null, dependentFromAge: null } },
    });
    const profile = { ...nobody, isC2sBeneficiary: false, aldProtocolExpiresOn: today, isDependent: true, age: 90 };

    expect(gpSearchDecision(profile, policy, today)).toEqual({ decision: 'placeholder-gp-and-letter', criteriaMet: [] });
    expect(gpSearchDecision(profile, defaultPolicy, today).criteriaMet).toEqual([
      'ald-protocol-expiring',
      'not-c2s-beneficiary',
      'dependent-elderly',
    ]);
  });

  it('given a policy with a shorter ALD window, when assessed, then the window follows the policy', () => {
    const policy = parsePolicy({ fundId: 'x', gpSearch: { systematicWhen: { aldProtocolExpiringWithinDays: 30 } } });
    const profile = { ...nobody, aldProtocolExpiresOn: '2024-06-10' };

    expect(gpSearchDecision(profile, policy, today).decision).toBe('placeholder-gp-and-letter');
    expect(gpSearchDecision(profile, policy, '2024-05-11').decision).toBe('systematic-accompaniment');
  });

  it('given a today that is not an ISO date, when assessed, then it throws', () => {
    expect(() => gpSearchDecision(nobody, defaultPolicy, '10/05/2024')).toThrow(RangeError);
  });
});
