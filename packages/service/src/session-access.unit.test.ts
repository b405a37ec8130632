/**
 * Every query against every role, through sessions; the scope of each role; and the audit trail
 * that every read and change leaves. The table of who may ask what is written out here, apart
 * from `permissions.ts`, so that a change of the policy fails this test.
 */
import { AccessDeniedError, CaseNotFoundError, type QueryName } from '@misas/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MisasSession } from './session.ts';
import { fundA, fundB, nirOfA1, principals, privacyWorld, type PrivacyWorld, type WorldRole } from './testing/privacy-world.ts';

const period = { from: '2026-01-01', to: '2026-12-31' };

/** Who may ask each query. */
const allowed: Record<QueryName, WorldRole[]> = {
  'case-register': ['counsellor', 'supervisor', 'data-protection-officer'],
  'case-detail': ['counsellor', 'supervisor', 'data-protection-officer'],
  'available-commands': ['counsellor', 'supervisor', 'data-protection-officer'],
  caseload: ['counsellor', 'supervisor'],
  indicators: ['supervisor'],
  'national-indicators': ['national-analyst'],
  'detector-referrals': ['detector'],
  'partner-referrals': ['partner'],
  'person-export': ['data-protection-officer'],
  'find-person': ['data-protection-officer'],
  'audit-trail': ['auditor', 'national-auditor'],
  'evaluation-extract': ['supervisor', 'national-analyst'],
};

/** One call of each query, as its natural asker would make it. */
const ask: Record<QueryName, (session: MisasSession) => Promise<unknown>> = {
  'case-register': (s) => s.caseRegister({}, { limit: 10 }),
  'case-detail': (s) => s.caseDetail('a-1'),
  'available-commands': (s) => s.availableCommands('a-1'),
  caseload: (s) => s.agenda({ counsellorId: 'counsellor-1', today: '2026-01-05' }),
  indicators: (s) => s.indicators(period),
  'national-indicators': (s) => s.nationalIndicators(period),
  'detector-referrals': (s) => s.detectorReferrals(),
  'partner-referrals': (s) => s.partnerReferrals(),
  'person-export': (s) => s.exportPerson('a-1'),
  'find-person': (s) => s.findPerson({ kind: 'nir', nir: nirOfA1 }),
  'audit-trail': (s) => s.auditTrail({}, { limit: 10 }),
  'evaluation-extract': (s) => s.evaluationExtract(period),
};

let world: PrivacyWorld;
beforeAll(async () => {
  world = await privacyWorld();
});

describe('every query against every role', () => {
  for (const [query, roles] of Object.entries(allowed) as [QueryName, WorldRole[]][]) {
    for (const role of Object.keys(principals) as WorldRole[]) {
      const permitted = roles.includes(role);
      it(`when a ${role} asks ${query}, then it is ${permitted ? 'answered' : 'denied and the refusal is audited'}`, async () => {
        const session = world.misas.as(principals[role]);
        const outcome = await ask[query](session).then(
          () => 'answered',
          (error: unknown) => (error instanceof AccessDeniedError ? error.rule : `failed: ${String(error)}`),
        );
        expect(outcome).toBe(permitted ? 'answered' : 'role-not-permitted');
        const trail = await world.storage.audit.query({ principalId: principals[role].id }, { limit: 1000 });
        expect(trail.entries.at(-1)).toMatchObject({ name: query, outcome: permitted ? 'allowed' : 'denied' });
      });
    }
  }
});

describe('scope within a role', () => {
  it('when a counsellor reads the register, then they see their own cases (and unassigned ones) but not another team’s nor another fund’s', async () => {
    const page = await world.misas.as(principals.counsellor).caseRegister({}, { limit: 100 });
    expect(page.rows.map((row) => row.caseId)).toEqual(['a-1']);
    const teamMate = await world.misas.as({ role: 'counsellor', id: 'counsellor-9', fundId: fundA, team: ['counsellor-2'] }).caseRegister({}, { limit: 100 });
    expect(teamMate.rows.map((row) => row.caseId)).toEqual(['a-2']);
  });

  it("when a counsellor asks for another fund's register, then access is denied; another fund's case is not found, like an unknown one", async () => {
    const session = world.misas.as(principals.counsellor);
    await expect(session.caseRegister({ fundId: fundB }, { limit: 10 })).rejects.toMatchObject({ rule: 'other-fund' });
    const foreign = await session.caseDetail('b-1').catch((error: unknown) => error);
    const unknown = await session.caseDetail('no-such-case').catch((error: unknown) => error);
    expect(foreign).toBeInstanceOf(CaseNotFoundError);
    expect(unknown).toBeInstanceOf(CaseNotFoundError);
    expect((foreign as CaseNotFoundError).message.replace('b-1', 'ID')).toBe((unknown as CaseNotFoundError).message.replace('no-such-case', 'ID'));
    await expect(session.caseDetail('a-2')).rejects.toMatchObject({ rule: 'not-own-case' });
  });

  it("when a counsellor asks which commands another fund's case, an unknown case or another team's case takes, then the answer is the one reading it gets", async () => {
    const asker = { role: 'counsellor', id: 'counsellor-7', fundId: fundA } as const;
    const session = world.misas.as(asker);
    await session.caseDetail('b-1').catch(() => undefined);
    const foreign = await session.availableCommands('b-1').catch((error: unknown) => error);
    const unknown = await session.availableCommands('no-such-case').catch((error: unknown) => error);
    expect(foreign).toBeInstanceOf(CaseNotFoundError);
    expect(unknown).toBeInstanceOf(CaseNotFoundError);
    expect((foreign as CaseNotFoundError).message.replace('b-1', 'ID')).toBe((unknown as CaseNotFoundError).message.replace('no-such-case', 'ID'));
    await expect(session.availableCommands('a-2')).rejects.toMatchObject({ rule: 'not-own-case' });
    // Audited as the read of that case is: the same entries, in the caller's fund and in the case's.
    const trail = await world.storage.audit.query({ principalId: asker.id, caseId: 'b-1' }, { limit: 100 });
    const entriesOf = (name: string) => trail.entries.filter((entry) => entry.name === name).map(({ outcome, fundId, rule, personalData }) => ({ outcome, fundId, rule, personalData }));
    expect(entriesOf('available-commands')).toEqual(entriesOf('case-detail'));
    expect(entriesOf('available-commands').map((entry) => entry.rule).sort()).toEqual(['case-not-found', 'other-fund']);
  });

  it('when a counsellor asks which commands their case takes, then each is allowed or blocked with its rule, and nothing is written to the case', async () => {
    const before = await world.storage.events.readStream('a-1');
    const answer = await world.misas.as(principals.counsellor).availableCommands('a-1');
    expect(answer.status).toBe('planning');
    const byType = new Map(answer.commands.map((entry) => [entry.command, entry]));
    expect(byType.get('RecordOutcome')).toMatchObject({ allowed: false, blockedBy: 'lifecycle', rule: 'allowed-in-state' });
    expect(byType.get('PlanAction')).toEqual({ command: 'PlanAction', allowed: true });
    expect(byType.get('AcceptReferral')).toMatchObject({ allowed: false, blockedBy: 'lifecycle', rule: 'allowed-in-state' });
    expect(byType.get('RequestErasure')).toMatchObject({ allowed: false, blockedBy: 'access', rule: 'role-not-permitted' });
    expect(byType.get('RecordWelcomeLetterSent')).toMatchObject({ allowed: false, blockedBy: 'rule', rule: 'welcome-letter-due' });
    expect(await world.storage.events.readStream('a-1')).toHaveLength(before.length);
  });

  it('when a supervisor asks for the evaluation extract of another fund, then access is denied; a national role gets every fund', async () => {
    await expect(world.misas.as(principals.supervisor).evaluationExtract({ ...period, fundIds: [fundB] })).rejects.toMatchObject({ rule: 'other-fund' });
    const national = await world.misas.as(principals['national-analyst']).evaluationExtract(period);
    expect(new Set(national.rows.map((row) => row.fundId))).toEqual(new Set([fundA, fundB]));
  });

  it('when the detector reads their referrals, then they see start and end of their own only (not started yet: the plan is not agreed), without the NIR', async () => {
    const referrals = await world.misas.as(principals.detector).detectorReferrals();
    expect(referrals).toEqual([{ caseId: 'a-1', referralDate: '2026-01-05', startedOn: null, endedOn: null, notStartedOn: null, notStartedReason: null }]);
    const other = await world.misas.as({ role: 'detector', id: 'det-9', fundId: fundA, origin: 'external-partner' }).detectorReferrals();
    expect(other).toEqual([]);
  });

  it('when the partner reads its referrals, then it sees the person it was consented to, never the NIR nor the birth date', async () => {
    const views = await world.misas.as(principals.partner).partnerReferrals();
    expect(views).toHaveLength(1);
    expect(views[0]?.person).toEqual({ firstName: 'Alex', lastName: 'Martin' });
    const json = JSON.stringify(views);
    expect(json).not.toContain(nirOfA1);
    expect(json).not.toContain('1989-04-12');
    const otherPartner = await world.misas.as({ role: 'partner', id: 'mdph-a', fundId: fundA, partner: 'mdph' }).partnerReferrals();
    expect(otherPartner).toEqual([]);
  });

  it('when a counsellor reads a case, then they get the person and the read is audited as personal data, with pseudonymous ids only', async () => {
    const detail = await world.misas.as(principals.counsellor).caseDetail('a-1');
    expect(detail?.person).toMatchObject({ status: 'found', record: { current: { person: { lastName: 'Martin', nir: nirOfA1 } } } });
    const trail = await world.misas.as(principals.auditor).auditTrail({ caseId: 'a-1', personalDataOnly: true }, { limit: 1000 });
    expect(trail.entries.some((entry) => entry.name === 'case-detail' && entry.principal.id === 'counsellor-1')).toBe(true);
    const json = JSON.stringify(trail);
    for (const secret of ['Martin', 'Alex', nirOfA1]) expect(json).not.toContain(secret);
  });

  it("when an auditor of one fund reads the trail, then they see that fund's entries only", async () => {
    const trail = await world.misas.as({ role: 'auditor', id: 'aud-b', fundId: fundB }).auditTrail({}, { limit: 1000 });
    expect(trail.entries.length).toBeGreaterThan(0);
    expect(trail.entries.every((entry) => entry.fundId === fundB)).toBe(true);
  });

  it('when the national role asks for indicators, then they are aggregated over every fund', async () => {
    const report = await world.misas.as(principals['national-analyst']).nationalIndicators(period);
    expect(JSON.stringify(report)).not.toContain('a-1');
  });
});

describe('refused commands in the audit trail', () => {
  it("given a counsellor of another fund, when they write to a case, then the fund's auditor sees the refused attempt, marked as writing nothing", async () => {
    const intruder = world.misas.as({ role: 'counsellor', id: 'counsellor-b', fundId: fundB });
    await expect(intruder.execute({ type: 'AddNote', caseId: 'a-1', commandId: 'intrusion', data: { text: 'hello' } })).rejects.toMatchObject({ rule: 'other-fund' });
    const trail = await world.misas.as(principals.auditor).auditTrail({ principalId: 'counsellor-b' }, { limit: 10 });
    expect(trail.entries).toMatchObject([{ name: 'AddNote', outcome: 'denied', fundId: fundA, caseId: 'a-1', personalData: false, rule: 'other-fund' }]);
  });
});
