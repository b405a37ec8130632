/**
 * Builds realistic event logs for read-model tests and examples: every event goes through the
 * real `CaseCommandHandler`, so the log holds only what the lifecycle accepts. Each command is
 * dated with `occurredAt` (the clock stands still after the last date), so that many cases can be
 * written in any order while each case's own facts stay in date order.
 */
import {
  CaseCommandHandler,
  createInMemoryStorage,
  defaultPolicies,
  ReviewItem,
  seededUlidGenerator,
  VirtualClock,
  type Actor,
  type CaseCommandInput,
  type CommandResult,
  type MisasStorage,
  type Outcome,
  type PlanStrand,
  type PolicyProvider,
} from '@misas/core';
import { sampleExternalForm, type CommandUnderTest } from '@misas/core/testing';

/** A counsellor, the default author of commands. */
export const counsellorActor: Actor = { role: 'counsellor', id: 'counsellor-1' };

/** A day (`YYYY-MM-DD`, taken at 10:00 UTC) or an instant. */
export type When = string;

/** The instant of a `When`. */
export function instantOf(when: When): string {
  return when.length === 10 ? `${when}T10:00:00.000Z` : when;
}

/** Options of {@link CaseLogBuilder}. */
export interface CaseLogOptions {
  readonly policies?: PolicyProvider;
  /** Where the clock stands: every command must be dated before it (default 2030-01-01). */
  readonly now?: string;
  readonly storage?: MisasStorage;
}

/** What a referral looks like, besides the sample form's defaults. */
export interface ReferOptions {
  readonly fundId?: string;
  /** The detector's pseudonymous id, the actor of `ReceiveReferral` (role `detector`). */
  readonly detectorId?: string;
  readonly form?: Partial<Parameters<typeof sampleExternalForm>[0]>;
}

/** Writes cases through the command handler on an in-memory storage. */
export class CaseLogBuilder {
  readonly storage: MisasStorage;
  readonly clock: VirtualClock;
  readonly handler: CaseCommandHandler;
  #commands = 0;

  constructor(options: CaseLogOptions = {}) {
    this.storage = options.storage ?? createInMemoryStorage();
    this.clock = new VirtualClock(options.now ?? '2030-01-01T00:00:00.000Z');
    this.handler = new CaseCommandHandler({
      store: this.storage.events,
      vault: this.storage.vault,
      clock: this.clock,
      ids: seededUlidGenerator(7, this.clock),
      policies: options.policies ?? defaultPolicies,
    });
  }

  /** Runs one command on a case, dated `when`. */
  run(caseId: string, when: When, command: CommandUnderTest, actor: Actor = counsellorActor): Promise<CommandResult> {
    return this.handler.execute({
      actor,
      ...command,
      caseId,
      commandId: `cmd-${++this.#commands}`,
      occurredAt: instantOf(when),
    } as CaseCommandInput);
  }

  /** A signed external referral (the sample form) received from a detector. */
  refer(caseId: string, when: When, options: ReferOptions = {}): Promise<CommandResult> {
    const day = instantOf(when).slice(0, 10);
    const form = sampleExternalForm({ referralDate: day, consent: { kind: 'signed', signedOn: day }, ...options.form });
    return this.run(
      caseId,
      when,
      { type: 'ReceiveReferral', data: { fundId: options.fundId ?? 'cpam-test', form } },
      { role: 'detector', id: options.detectorId ?? 'detector-1' },
    );
  }

  /** Triage takes the case on, for `counsellorId`. */
  accept(caseId: string, when: When, counsellorId = counsellorActor.id): Promise<CommandResult> {
    return this.run(caseId, when, { type: 'AcceptReferral', data: { counsellorId } });
  }

  /** Every checklist item in order, then the review completed. */
  async review(caseId: string, when: When): Promise<CommandResult> {
    for (const item of ReviewItem.options) await this.run(caseId, when, { type: 'RecordReviewItem', data: { item, finding: 'in-order' } });
    return this.run(caseId, when, { type: 'CompleteReview', data: {} });
  }

  /** One phone call, reaching the person or not. */
  contact(caseId: string, when: When, reached = true): Promise<CommandResult> {
    return this.run(caseId, when, { type: 'RecordContactAttempt', data: { channel: 'phone', reached } });
  }

  /** Needs on the given strands, one action per strand due on `dueDate`, and the plan agreed. */
  async agreePlan(caseId: string, when: When, options: { strands?: readonly PlanStrand[]; dueDate?: string } = {}): Promise<CommandResult> {
    const strands = options.strands ?? ['rights', 'care'];
    await this.run(caseId, when, { type: 'IdentifyNeeds', data: { problems: ['rights-and-procedures'], strands: [...strands] } });
    for (const strand of strands) {
      await this.run(caseId, when, {
        type: 'PlanAction',
        data: { actionId: `${strand}-action`, strand, kind: 'other', owner: { kind: 'person' }, dueDate: options.dueDate ?? '2026-12-31' },
      });
    }
    return this.run(caseId, when, { type: 'AgreePlan', data: {} });
  }

  /** Records one gain of the accompaniment. */
  outcome(caseId: string, when: When, outcome: Outcome): Promise<CommandResult> {
    return this.run(caseId, when, { type: 'RecordOutcome', data: { outcome } });
  }

  /** Closes the case, oriented to no partner. */
  close(caseId: string, when: When, reason: Extract<CaseCommandInput, { type: 'CloseCase' }>['data']['reason'] = 'objectives-met'): Promise<CommandResult> {
    return this.run(caseId, when, { type: 'CloseCase', data: { reason } });
  }

  /** Referral, acceptance, review and a reached contact, each on its own date. */
  async reached(caseId: string, dates: { referred: When; accepted: When; reached: When }, options: ReferOptions = {}): Promise<CommandResult> {
    await this.refer(caseId, dates.referred, options);
    await this.accept(caseId, dates.accepted);
    await this.review(caseId, dates.accepted);
    return this.contact(caseId, dates.reached);
  }
}
