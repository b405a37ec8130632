/**
 * A given / when / then kit for testing a fund's rules against the real lifecycle, through the
 * real command handler on in-memory ports. Works with any test runner: failures throw an
 * `AssertionError` whose message shows what was expected and what happened.
 *
 * ```ts
 * await caseSpecification({ policy })
 *   .given(historyUntil.contact())
 *   .when({ type: 'RecordContactAttempt', data: { channel: 'phone', reached: false } })
 *   .thenEvents([{ type: 'ContactAttempted' }]);
 * ```
 */
import { AssertionError } from 'node:assert';
import { isDeepStrictEqual } from 'node:util';
import type { CaseCommandInput } from '../domain/commands.ts';
import { eventDefinition, type CaseEventType, type DomainEvent, type EventData } from '../domain/events/catalogue.ts';
import type { Actor } from '../domain/events/metadata.ts';
import { defaultPolicy, type FundPolicy } from '../domain/policy.ts';
import { CaseCommandHandler, type CommandResult } from '../application/command-handler.ts';
import { VirtualClock } from '../application/ports/clock.ts';
import { seededUlidGenerator } from '../application/ports/id-generator.ts';
import type { PrincipalInput } from '../application/access/principal.ts';
import { AccessDeniedError, CommandRejectedError } from '../errors.ts';
import { InMemoryEventStore } from '../in-memory/memory-event-store.ts';
import { InMemoryVault } from '../in-memory/memory-vault.ts';

/** A command without its envelope: the kit fills `caseId`, `commandId` and `actor` when absent. */
export type CommandUnderTest = { [C in CaseCommandInput as C['type']]: Omit<C, 'caseId' | 'commandId' | 'actor'> & Partial<Pick<C, 'caseId' | 'commandId' | 'actor'>> }[CaseCommandInput['type']];

/** An expected event: its type, and its payload when it matters. */
export type ExpectedEvent = { [T in CaseEventType]: { type: T; data?: EventData<T> } }[CaseEventType];

/** How a specification sets up the case: the fund's policy, the clock's start, the case, who acts. */
export interface CaseSpecificationOptions {
  /** The fund's rules under test (default: the seeds' rules). */
  readonly policy?: FundPolicy;
  /** The virtual clock's start (default 2026-01-05T09:00:00Z). */
  readonly startAt?: string;
  /** The case's id (default `case-under-test`). */
  readonly caseId?: string;
  /** Who sends the commands (default: a counsellor; the principal's role and id when one is given). */
  readonly actor?: Actor;
  /** Sends the commands on behalf of this principal: access is checked as in a session. */
  readonly principal?: PrincipalInput;
}

/** The outcome of `when`, to be checked with `thenEvents` or `thenRejected`. */
export interface WhenStep {
  /** Asserts the command was applied and produced these events, in order. */
  thenEvents(expected: readonly ExpectedEvent[]): Promise<CommandResult>;
  /** Asserts the command was refused, by this rule when given, and that nothing was appended. */
  thenRejected(expected?: { rule?: string; state?: string }): Promise<CommandRejectedError>;
  /** Asserts the principal was denied access, by this rule when given, and that nothing was appended. */
  thenDenied(expected?: { rule?: string }): Promise<AccessDeniedError>;
}

/** A case with its history: move the clock, then send the command under test. */
export interface GivenStep {
  /** Moves the virtual clock before the command. */
  at(instant: string): GivenStep;
  /** Sends the command under test; assert its result with the `then…` methods. */
  when(command: CommandUnderTest): WhenStep;
}

/** Starts a specification: `given(events)` is the case's history. */
export function caseSpecification(options: CaseSpecificationOptions = {}): { given(history: readonly DomainEvent[]): GivenStep } {
  const caseId = options.caseId ?? 'case-under-test';
  const { principal } = options;
  const actor: Actor = options.actor ?? (principal ? { role: principal.role, id: principal.id } : { role: 'counsellor', id: 'counsellor-1' });
  const clock = new VirtualClock(options.startAt ?? '2026-01-05T09:00:00.000Z');
  const store = new InMemoryEventStore();
  const handler = new CaseCommandHandler({
    store,
    vault: new InMemoryVault(),
    clock,
    ids: seededUlidGenerator(1, clock),
    policies: () => options.policy ?? defaultPolicy,
  });

  async function seed(history: readonly DomainEvent[]): Promise<void> {
    if (history.length === 0) return;
    const occurredAt = clock.now().toISOString();
    await store.append({
      streamId: caseId,
      expectedVersion: 0,
      commandId: 'given',
      events: history.map((event, index) => ({
        type: event.type,
        data: event.data,
        meta: {
          eventId: `given-${index + 1}`,
          caseId,
          version: index + 1,
          occurredAt,
          recordedAt: occurredAt,
          actor,
          correlationId: 'given',
          causationId: 'given',
          commandId: 'given',
          schemaVersion: eventDefinition(event.type)?.schemaVersion ?? 1,
        },
      })),
    });
  }

  return {
    given(history) {
      let moveTo: string | undefined;
      const step: GivenStep = {
        at(instant) {
          moveTo = instant;
          return step;
        },
        when(command) {
          const run = async (): Promise<{ result?: CommandResult; error?: unknown; before: number }> => {
            await seed(history);
            if (moveTo) clock.set(moveTo);
            const before = await store.headPosition();
            const input = { caseId, commandId: 'command-under-test', actor, ...command } as CaseCommandInput;
            try {
              return { result: await handler.execute(input, principal ? { principal } : {}), before };
            } catch (error) {
              return { error, before };
            }
          };
          return {
            async thenEvents(expected) {
              const { result, error } = await run();
              if (!result) throw new AssertionError({ message: `expected events, but the command failed: ${String(error)}` });
              const actual = result.events.map((event) => ({ type: event.type, data: event.data }));
              const matches =
                actual.length === expected.length &&
                expected.every((want, i) => want.type === actual[i]?.type && (want.data === undefined || isDeepStrictEqual(want.data, actual[i]?.data)));
              if (!matches) {
                throw new AssertionError({ message: 'the command produced other events', expected, actual, operator: 'thenEvents' });
              }
              return result;
            },
            async thenRejected(expected = {}) {
              const { result, error, before } = await run();
              if (!(error instanceof CommandRejectedError)) {
                const got = result ? `events ${result.events.map((e) => e.type).join(', ')}` : String(error);
                throw new AssertionError({ message: `expected a rejection, got ${got}` });
              }
              if (expected.rule !== undefined && error.rule !== expected.rule) {
                throw new AssertionError({ message: `rejected by another rule: ${error.message}`, expected: expected.rule, actual: error.rule, operator: 'thenRejected' });
              }
              if (expected.state !== undefined && error.state !== expected.state) {
                throw new AssertionError({ message: 'rejected in another state', expected: expected.state, actual: error.state, operator: 'thenRejected' });
              }
              if ((await store.headPosition()) !== before) {
                throw new AssertionError({ message: 'a rejected command appended events' });
              }
              return error;
            },
            async thenDenied(expected = {}) {
              const { result, error, before } = await run();
              if (!(error instanceof AccessDeniedError)) {
                const got = result ? `events ${result.events.map((e) => e.type).join(', ')}` : String(error);
                throw new AssertionError({ message: `expected access to be denied, got ${got}` });
              }
              if (expected.rule !== undefined && error.rule !== expected.rule) {
                throw new AssertionError({ message: `denied by another rule: ${error.message}`, expected: expected.rule, actual: error.rule, operator: 'thenDenied' });
              }
              if ((await store.headPosition()) !== before) throw new AssertionError({ message: 'a denied command appended events' });
              return error;
            },
          };
        },
      };
      return step;
    },
  };
}
