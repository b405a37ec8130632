import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { FundPolicy, defaultPolicy, parsePolicy } from './policy.ts';

describe('defaultPolicy', () => {
  it('given no local rule, then the seeds rules apply', () => {
    expect(defaultPolicy).toEqual({
      fundId: 'default',
      unreachableAfterAttempts: 3,
      firstContactWithinDays: 10,
      welcomeLetterWithinDays: 7,
      reopenWithinDays: 90,
      retentionMonthsAfterClosure: 18,
      partnerFollowUpDays: 30,
      unreachableAfterDays: 45,
      aldExpiryReminderDays: 60,
      noContactAlertDays: 30,
      gpSearch: {
        doctorsScarce: true,
        systematicWhen: {
          aldProtocolExpiringWithinDays: 60,
          scheduledOrUrgentCare: true,
          disabilityOrInvalidity: true,
          notC2sBeneficiary: true,
          dependentFromAge: 70,
        },
      },
    });
  });

  it('given the shared default, when someone tries to change it, then it stays as it was', () => {
    expect(Object.isFrozen(defaultPolicy)).toBe(true);
    expect(Object.isFrozen(defaultPolicy.gpSearch.systematicWhen)).toBe(true);
    expect(() => {
      (defaultPolicy.gpSearch.systematicWhen as { dependentFromAge: number | null }).dependentFromAge = 60;
    }).toThrow(TypeError);
  });
});

describe('parsePolicy', () => {
  it('given a partial override deep in gpSearch, when parsed, then every other field keeps its default', () => {
    const policy = parsePolicy({
      fundId: 'cpam-22',
      fundName: "CPAM des Côtes-d'Armor",
      firstContactWithinDays: 5,
      gpSearch: { systematicWhen: { dependentFromAge: 75, notC2sBeneficiary: false } },
    });

    expect(policy).toEqual({
      ...defaultPolicy,
      fundId: 'cpam-22',
      fundName: "CPAM des Côtes-d'Armor",
      firstContactWithinDays: 5,
      gpSearch: {
        doctorsScarce: true,
        systematicWhen: { ...defaultPolicy.gpSearch.systematicWhen, dependentFromAge: 75, notC2sBeneficiary: false },
      },
    });
  });

  it('given null for a nullable criterion, when parsed, then the criterion is turned off', () => {
    const policy = parsePolicy({ fundId: 'x', gpSearch: { systematicWhen: { aldProtocolExpiringWithinDays: null } } });

    expect(policy.gpSearch.systematicWhen.aldProtocolExpiringWithinDays).toBeNull();
    expect(policy.gpSearch.systematicWhen.dependentFromAge).toBe(70);
  });

  it.each([
    [{ fundId: 'x', retentionMonthsAfterClosure: 24 }, ['retentionMonthsAfterClosure'], /18 months/],
    [{ fundId: 'x', unreachableAfterAttempts: 0 }, ['unreachableAfterAttempts'], /at least 1/],
    [{ fundId: 'x', firstContactWithinDays: 2.5 }, ['firstContactWithinDays'], /whole number/],
    [{ fundId: 'x', reopenWithinDays: -1 }, ['reopenWithinDays'], /negative/],
    [{ fundId: '  ' }, ['fundId'], /fundId/],
    [{}, ['fundId'], /fundId/],
    [{ fundId: 'x', gpSearch: { doctorsScarce: 'yes' } }, ['gpSearch', 'doctorsScarce'], /boolean/],
    [
      { fundId: 'x', gpSearch: { systematicWhen: { dependentFromAge: -5 } } },
      ['gpSearch', 'systematicWhen', 'dependentFromAge'],
      /dependentFromAge may not be negative/,
    ],
    [{ fundId: 'x', gpSearch: { systematicWhen: { retireAt: 62 } } }, ['gpSearch', 'systematicWhen'], /retireAt/],
  ])('given the invalid policy %j, when parsed, then the error names the field path', (input, path, message) => {
    let caught: unknown;
    try {
      parsePolicy(input);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.subject).toBe('fund policy');
    expect(error.issues.map((issue) => issue.path)).toEqual([path.join('.')]);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`${path.join('.')}: `);
  });

  it('given a valid policy, when parsed twice, then the result is stable', () => {
    const once = parsePolicy({ fundId: 'cpam-30', reopenWithinDays: 0 });

    expect(FundPolicy.parse(once)).toEqual(once);
  });
});
