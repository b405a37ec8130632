/**
 * A session: one authenticated principal's view of misas. Every command and every query goes
 * through `authorize` (the one access policy of `@misas/core`), and every one — allowed or
 * denied — is recorded in the audit trail, reads of personal data included.
 */
import {
  caseFileOf,
  AccessDeniedError,
  authorize,
  CommandIdReusedError,
  fundOf,
  MisasError,
  personalDataQueries,
  requireIds,
  type AccessTarget,
  type Actor,
  type AuditFilter,
  type AuditPage,
  type AvailableCommands,
  type CaseCommandInput,
  type CommandResult,
  type Principal,
  type QueryName,
} from '@misas/core';
import {
  caseloadName,
  caseRegisterName,
  computeIndicators,
  appointmentsOfDay,
  counsellorAgenda,
  detectorViewName,
  evaluationExtract,
  readModel,
  referralsOfDetector,
  registerRowsForPeriod,
  scanCaseRegister,
  type CaseRegisterFilter,
  type CaseRegisterRow,
  type CounsellorAgenda,
  type DayAppointment,
  type DetectorReferral,
  type EvaluationExtract,
  type IndicatorOptions,
  type IndicatorReport,
  type Page,
  type PageRequest,
} from '@misas/projections';
import { recordAudit, refusalFacts, type AuditFacts } from './audit-recorder.ts';
import { caseTarget, readCase, type CaseReadDeps } from './case-read.ts';
import type { ServiceContext } from './context.ts';
import { availableCommands } from './queries/available-commands.ts';
import { caseDetail, type CaseDetail } from './queries/case-detail.ts';
import { partnerReferrals, type PartnerReferralView } from './queries/partner-referrals.ts';
import { findPersonCases, type PersonIdentity } from './rights/find-person.ts';
import { buildPersonExport, type PersonExport } from './rights/person-export.ts';

/** A command as a session sends it: the actor is the principal, so it may be left out. */
export type SessionCommand = CaseCommandInput extends infer C ? (C extends unknown ? Omit<C, 'actor'> & { readonly actor?: Actor } : never) : never;

/** Commands that carry personal data into the vault. */
const personalDataCommands: ReadonlySet<string> = new Set(['ReceiveReferral', 'AddNote', 'RectifyPersonalData']);

/** The queries and commands one principal may run. */
export class MisasSession {
  readonly principal: Principal;
  readonly #context: ServiceContext;
  readonly #refresh: () => Promise<void>;

  constructor(principal: Principal, context: ServiceContext, refresh: () => Promise<void>) {
    this.principal = principal;
    this.#context = context;
    this.#refresh = refresh;
  }

  /**
   * Runs a command as the principal.
   * @throws AccessDeniedError when the principal may not send it to this case (recorded in the audit trail)
   * @throws CommandIdReusedError when the case holds this command id from another command (recorded as denied, rule `command-id-reused`)
   * @throws ValidationError, CommandRejectedError, ConcurrencyError as `CaseCommandHandler.execute`
   */
  async execute(command: SessionCommand): Promise<CommandResult> {
    const actor = { role: this.principal.role, id: this.principal.id } as Actor;
    const input = { ...command, actor: command.actor ?? actor } as CaseCommandInput;
    // A note about a call or an appointment is personal data too.
    const personalData = personalDataCommands.has(command.type) || ('note' in command.data && command.data.note !== undefined);
    const facts = { action: 'change', name: command.type, caseId: command.caseId, personalData } as const;
    try {
      const result = await this.#context.handler.execute(input, { principal: this.principal });
      const file = caseFileOf(result.state);
      await this.#audit([{ ...facts, outcome: 'allowed', fundId: file.fundId, subjectRef: file.subjectRef }]);
      return result;
    } catch (error) {
      if (error instanceof AccessDeniedError || error instanceof CommandIdReusedError) {
        // Filed under the caller's fund and under the fund of the case aimed at, so that both
        // auditors see the attempt; nothing was written. A reused command id is filed the same
        // way, as denied (the trail's outcomes are allowed/denied: a third would change the stores'
        // schemas); its case exists, since its stream holds the id, so it is never filed under the
        // fund a reused ReceiveReferral names. A referral filed under a taken id is filed under the
        // case's fund; one refused before any case exists, under the fund it names.
        const existing = caseFileOf((await this.#context.handler.load(command.caseId)).state).fundId;
        const aimedAt = existing ?? (command.type === 'ReceiveReferral' ? command.data.fundId : null);
        const refusal = { action: 'change', name: command.type, caseId: command.caseId, rule: error.rule, target: { fundId: aimedAt, rule: error.rule } } as const;
        await this.#audit(refusalFacts(this.principal, refusal));
      }
      throw error;
    }
  }

  /** A page of the register: a counsellor sees their own and their team's cases and the unassigned ones. */
  async caseRegister(filter: Omit<CaseRegisterFilter, 'fundId'> & { readonly fundId?: string } = {}, page: PageRequest): Promise<Page<CaseRegisterRow>> {
    requireIds('query', { 'filter.fundId': filter.fundId, 'filter.counsellorId': filter.counsellorId, 'page.after': page.after });
    const fundId = filter.fundId ?? fundOf(this.principal);
    return this.#read('case-register', { fundId }, async () => {
      const visible = (row: CaseRegisterRow) => this.#mayReadCase(row);
      const rows: CaseRegisterRow[] = [];
      for await (const row of scanCaseRegister(this.#reader(caseRegisterName), { ...filter, ...(fundId === null ? {} : { fundId }) }, page.after)) {
        if (!visible(row)) continue;
        if (rows.length === page.limit) return { rows, next: rows.at(-1)?.caseId ?? null };
        rows.push(row);
      }
      return { rows, next: null };
    });
  }

  /**
   * One case with the person's data (a read of personal data, recorded).
   * @throws CaseNotFoundError when the case is unknown or another fund's (one answer for both)
   * @throws AccessDeniedError when the role may not read cases, or the case is outside a counsellor's scope
   */
  async caseDetail(caseId: string): Promise<CaseDetail> {
    requireIds('query', { caseId });
    return readCase(this.#caseDeps(), 'case-detail', caseId, (row) => caseDetail(this.#context, row));
  }

  /**
   * What a screen needs: every command the principal might send to `caseId` now (all but
   * `ReceiveReferral`), each allowed or blocked with the rule `execute` would refuse it with
   * (`blockedBy`: access, time, lifecycle or rule). Asked like a read of the case, and recorded.
   * @throws CaseNotFoundError when the case is unknown or another fund's (one answer for both)
   * @throws AccessDeniedError when the role may not read cases, or the case is outside a counsellor's scope
   */
  async availableCommands(caseId: string): Promise<AvailableCommands> {
    requireIds('query', { caseId });
    return availableCommands(this.#caseDeps(), caseId);
  }

  /**
   * A counsellor's agenda on `today` (their own by default; a supervisor names one of the fund's
   * counsellors). "Without contact" counts the fund's `noContactAlertDays` unless `noContactDays` is given.
   */
  async agenda(options: { readonly counsellorId?: string; readonly today: string; readonly noContactDays?: number }): Promise<CounsellorAgenda> {
    requireIds('query', { counsellorId: options.counsellorId });
    const counsellorId = options.counsellorId ?? this.principal.id;
    const fundId = fundOf(this.principal);
    return this.#read('caseload', { fundId, counsellorId }, () => {
      // The counsellor is looked up in the principal's fund: an id of another fund is someone else.
      // (Only roles of a fund are granted the caseload, so `fundId` is never null here.)
      const noContactDays = options.noContactDays ?? this.#context.policies(fundId ?? '').noContactAlertDays;
      return counsellorAgenda(this.#reader(caseloadName), { fundId: fundId ?? '', counsellorId }, { today: options.today, noContactDays });
    });
  }

  /** A counsellor's appointments of `day` (UTC), on open cases of the principal's fund: their own by default; a supervisor names one. */
  async appointmentsOfDay(options: { readonly counsellorId?: string; readonly day: string }): Promise<DayAppointment[]> {
    requireIds('query', { counsellorId: options.counsellorId });
    const counsellorId = options.counsellorId ?? this.principal.id;
    const fundId = fundOf(this.principal);
    return this.#read('caseload', { fundId, counsellorId }, () => appointmentsOfDay(this.#reader(caseloadName), { fundId: fundId ?? '', counsellorId }, { day: options.day }));
  }

  /** The indicators of the principal's fund (aggregated). */
  async indicators(options: IndicatorOptions): Promise<IndicatorReport> {
    const fundId = fundOf(this.principal);
    return this.#read('indicators', { fundId }, async () =>
      computeIndicators(await registerRowsForPeriod(this.#reader(caseRegisterName), { from: options.from, to: options.to, ...(fundId === null ? {} : { fundId }) }), options),
    );
  }

  /** Indicators across funds, for a national role: aggregated, and without the people who object to evaluation. */
  async nationalIndicators(options: Omit<IndicatorOptions, 'excludeObjectingToEvaluation'>): Promise<IndicatorReport> {
    return this.#read('national-indicators', { fundId: null }, async () =>
      computeIndicators(await registerRowsForPeriod(this.#reader(caseRegisterName), options), { ...options, excludeObjectingToEvaluation: true }),
    );
  }

  /** A detector's own referrals: when the accompaniment started and ended, nothing more. */
  async detectorReferrals(): Promise<DetectorReferral[]> {
    const fundId = fundOf(this.principal);
    return this.#read('detector-referrals', { fundId, referredBy: this.principal.id }, async () =>
      // The detector is looked up in their fund: the same id in another fund is someone else.
      fundId === null ? [] : referralsOfDetector(this.#reader(detectorViewName), { fundId, detectorId: this.principal.id }),
    );
  }

  /** A partner's referrals, with the person's contact where they agreed to share it with this partner. */
  async partnerReferrals(): Promise<PartnerReferralView[]> {
    const partner = this.principal.role === 'partner' ? this.principal.partner : null;
    const reads: { caseId: string; subjectRef: string }[] = [];
    return this.#read(
      'partner-referrals',
      { fundId: fundOf(this.principal), partner },
      async () => (partner ? partnerReferrals(this.#context, fundOf(this.principal) ?? '', partner, (caseId, subjectRef) => reads.push({ caseId, subjectRef })) : []),
      reads,
    );
  }

  /**
   * Everything held about the person of `caseId` (right of access), as data and as a readable document.
   * @throws CaseNotFoundError when the case is unknown or another fund's (one answer for both)
   */
  async exportPerson(caseId: string): Promise<PersonExport> {
    requireIds('query', { caseId });
    return readCase(this.#caseDeps(), 'person-export', caseId, (row) => buildPersonExport(this.#context, row.caseId, row.fundId));
  }

  /** The cases of a person, found from their identity in the principal's fund (for a rights request). */
  async findPerson(identity: PersonIdentity): Promise<string[]> {
    const fundId = fundOf(this.principal);
    const found: { caseId: string; subjectRef: string }[] = [];
    return this.#read('find-person', { fundId }, async () => {
      const matches = fundId === null ? [] : await findPersonCases(this.#context, fundId, identity);
      found.push(...matches);
      return matches.map((match) => match.caseId);
    }, found);
  }

  /** The audit trail of the principal's fund; for the national auditor, the entries filed under no fund. */
  async auditTrail(filter: Omit<AuditFilter, 'fundId'>, page: { readonly limit: number; readonly after?: string | null }): Promise<AuditPage> {
    requireIds('query', { 'filter.caseId': filter.caseId, 'filter.subjectRef': filter.subjectRef, 'filter.principalId': filter.principalId, 'page.after': page.after });
    const fundId = fundOf(this.principal);
    // `fundId` last: a fund slipped into the filter cannot widen the trail read.
    return this.#read('audit-trail', { fundId }, () => this.#context.storage.audit.query({ ...filter, fundId }, page));
  }

  /** The pseudonymised extract for the national evaluation: the principal's fund, or every fund for a national role. */
  async evaluationExtract(options: { readonly from: string; readonly to: string; readonly fundIds?: readonly string[] }): Promise<EvaluationExtract> {
    requireIds('query', Object.fromEntries((options.fundIds ?? []).map((fundId, index) => [`fundIds.${index}`, fundId])));
    const ownFund = fundOf(this.principal);
    const funds = options.fundIds ?? (ownFund === null ? undefined : [ownFund]);
    // A fund-scoped role asking for another fund is refused on that fund.
    const foreign = ownFund === null ? undefined : funds?.find((fundId) => fundId !== ownFund);
    return this.#read('evaluation-extract', { fundId: foreign ?? ownFund }, () => {
      const pseudonymKey = this.#context.pseudonymKey;
      if (!pseudonymKey) throw new MisasError('pseudonym-key-missing', 'the evaluation extract needs `pseudonymKey` in createMisas options');
      return evaluationExtract(this.#reader(caseRegisterName), { from: options.from, to: options.to, pseudonymKey, ...(funds ? { fundIds: funds } : {}) });
    });
  }

  /** Whether the principal's grant on the register covers this case (own, team, unassigned). */
  #mayReadCase(row: CaseRegisterRow): boolean {
    return authorize(this.principal, { kind: 'query', name: 'case-register' }, caseTarget(row)).allowed;
  }

  #caseDeps(): CaseReadDeps {
    return { principal: this.principal, context: this.#context, refresh: this.#refresh };
  }

  #reader(projection: string) {
    return readModel(this.#context.storage.projections, projection);
  }

  /**
   * Authorises a query, records it (with one personal-data entry per case read), and runs it on
   * up-to-date read models. A denied query is recorded too, then refused.
   */
  async #read<T>(name: QueryName, target: AccessTarget, run: () => Promise<T>, casesRead: readonly { caseId: string; subjectRef: string }[] = []): Promise<T> {
    const decision = authorize(this.principal, { kind: 'query', name }, target);
    const base = { action: 'read', name, fundId: target.fundId } as const;
    if (!decision.allowed) {
      await this.#audit(refusalFacts(this.principal, { action: 'read', name, rule: decision.rule, target: { fundId: target.fundId, rule: decision.rule } }));
      throw new AccessDeniedError({ role: this.principal.role, action: name, rule: decision.rule, reason: decision.reason });
    }
    await this.#refresh();
    const result = await run();
    const personal = personalDataQueries.has(name);
    const entries: AuditFacts[] =
      casesRead.length === 0
        ? [{ ...base, outcome: 'allowed', personalData: personal && name === 'find-person' }]
        : casesRead.map((read) => ({ ...base, outcome: 'allowed', personalData: personal, caseId: read.caseId, subjectRef: read.subjectRef }));
    await this.#audit(entries);
    return result;
  }

  #audit(facts: readonly AuditFacts[]): Promise<void> {
    return recordAudit(this.#context, this.principal, facts);
  }
}
