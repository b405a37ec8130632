/**
 * The typed errors of the library. Every error says what was refused and why, in words a developer
 * can act on, and carries the same facts as fields so a program can act on them too.
 */
import type { z } from 'zod';

/** Base class: `code` is stable across versions, the message may improve. */
export class MisasError extends Error {
  /** Stable across versions: what a program tests (`validation-failed`, `command-rejected`…). */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One failed rule of an input: where (`path`, dotted) and which rule. */
export interface ValidationIssue {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

function ruleOf(issue: z.core.$ZodIssue): string {
  const rule: unknown = issue.code === 'custom' ? issue.params?.['rule'] : undefined;
  return typeof rule === 'string' ? rule : issue.code;
}

/** Input that does not match its schema. Nothing was changed. */
export class ValidationError extends MisasError {
  /** Each failed rule: where, which rule, what is wrong. */
  readonly issues: readonly ValidationIssue[];
  /** What was invalid (`command`, `referral form`…). */
  readonly subject: string;
  constructor(subject: string, issues: readonly ValidationIssue[]) {
    const lines = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message} [${issue.rule}]`);
    // One issue, one line; several, one line each under the subject.
    const detail = lines.length === 1 ? ` ${lines.join('')}` : `\n${lines.map((line) => `  - ${line}`).join('\n')}`;
    super('validation-failed', `Invalid ${subject}:${detail}`);
    this.subject = subject;
    this.issues = issues;
  }

  /** Builds the error from a zod error. zod's messages never echo the input, so no personal data leaks. */
  static fromZod(subject: string, error: z.ZodError): ValidationError {
    return new ValidationError(
      subject,
      error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        // A custom check names its rule (`id-control-character`, `date-range`…); zod's own checks have their code.
        rule: ruleOf(issue),
        message: issue.message,
      })),
    );
  }
}

/** A command the lifecycle or a business rule refuses. Nothing was appended. */
export class CommandRejectedError extends MisasError {
  /** The case's state when the command was refused. */
  readonly state: string;
  /** The refused command's type. */
  readonly command: string;
  /** The rule that refused it. */
  readonly rule: string;
  /** The case it was sent to. */
  readonly caseId: string;
  constructor(input: { caseId: string; state: string; command: string; rule: string; reason: string }) {
    super(
      'command-rejected',
      `${input.command} refused for case ${input.caseId} in state '${input.state}' by rule '${input.rule}': ${input.reason}`,
    );
    this.caseId = input.caseId;
    this.state = input.state;
    this.command = input.command;
    this.rule = input.rule;
  }
}

/** The principal may not do this: no grant of their role covers it. Nothing was read or changed. */
export class AccessDeniedError extends MisasError {
  /** The principal's role. */
  readonly role: string;
  /** What was attempted (a command type, a query). */
  readonly action: string;
  /** The access rule that denied it. */
  readonly rule: string;
  /** The case concerned, if any. */
  readonly caseId: string | null;
  constructor(input: { role: string; action: string; rule: string; reason: string; caseId?: string | null }) {
    const where = input.caseId ? ` on case ${input.caseId}` : '';
    super('access-denied', `${input.action} denied to role '${input.role}'${where} by rule '${input.rule}': ${input.reason}`);
    this.role = input.role;
    this.action = input.action;
    this.rule = input.rule;
    this.caseId = input.caseId ?? null;
  }
}

/**
 * No case `caseId` that the principal may know of: the same answer whether the id is unknown or
 * belongs to another fund, so that the answer tells nothing of other funds. Nothing was read.
 */
export class CaseNotFoundError extends MisasError {
  /** The case asked for. */
  readonly caseId: string;
  /** The rule, named as an access denial names its own: `case-not-found`. */
  readonly rule = 'case-not-found';
  constructor(caseId: string, fundId: string | null) {
    super('case-not-found', `case ${caseId} not found${fundId === null ? '' : ` in fund ${fundId}`}: check the case id`);
    this.caseId = caseId;
  }
}

/** Another writer appended to the stream first: the expected version is stale. */
export class ConcurrencyError extends MisasError {
  /** The stream written to. */
  readonly streamId: string;
  /** The version the writer expected. */
  readonly expectedVersion: number;
  /** The version the stream is at. */
  readonly actualVersion: number;
  constructor(streamId: string, expectedVersion: number, actualVersion: number) {
    super(
      'concurrency-conflict',
      `Stream ${streamId} is at version ${actualVersion}, the writer expected ${expectedVersion}`,
    );
    this.streamId = streamId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** A stored stream could not be replayed: unknown event type, unreadable payload, or a fact the machine refuses. */
export class ReplayError extends MisasError {
  /** The stream being replayed. */
  readonly streamId: string;
  /** The version of the event that cannot be applied. */
  readonly version: number;
  /** What is wrong, without the stream and version (`misas verify` lists them in columns of their own). */
  readonly reason: string;
  constructor(streamId: string, version: number, reason: string) {
    super('replay-failed', `Cannot replay stream ${streamId} at version ${version}: ${reason}`);
    this.streamId = streamId;
    this.version = version;
    this.reason = reason;
  }
}

/** Why a store cannot serve: each reason has its own `code` (`storage-read-only`, …) and advice. */
export type StorageFailure = 'read-only' | 'corrupt' | 'io-error' | 'unreachable' | 'auth-failed' | 'cannot-open';

/**
 * The store cannot be used as it is: read-only, damaged, unreachable, refusing our credentials.
 * What was being written was rolled back. `action` says what to do (the integrity check to run, the
 * permission to fix); the message ends with it. Not retried by the library: a person must act.
 */
export class StorageUnavailableError extends MisasError {
  /** Why the store cannot be used. */
  readonly reason: StorageFailure;
  /** Which store, fit for messages (a file path, or a PostgreSQL host and database without password). */
  readonly store: string;
  /** What to do about it. */
  readonly action: string;
  constructor(input: { reason: StorageFailure; store: string; detail: string; action: string; cause?: unknown }) {
    super(`storage-${input.reason}`, `the store ${input.store} ${input.detail}: ${input.action}`);
    this.reason = input.reason;
    this.store = input.store;
    this.action = input.action;
    if (input.cause !== undefined) this.cause = input.cause;
  }
}

/** The disk (or the database's quota) is full: the write was rolled back, nothing half-written remains. */
export class StorageFullError extends MisasError {
  /** The store that is full (redacted URL or path). */
  readonly store: string;
  constructor(store: string, detail: string, cause?: unknown) {
    super('storage-full', `no space left for the store ${store} (${detail}): the last write was rolled back; free disk space, then retry`);
    this.store = store;
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * True for a failure of the store itself — unavailable, damaged, full, locked too long, closed —
 * as opposed to a refusal of what was asked. Their codes all start with `storage-`.
 */
export function isStorageFailure(error: unknown): boolean {
  return error instanceof MisasError && error.code.startsWith('storage-');
}

/**
 * The master key that wraps the vault's per-person keys is missing, unknown, malformed or does not
 * open a stored key. The message names the key id needed and where master keys are read from;
 * it never carries key material.
 */
export class MasterKeyError extends MisasError {
  /** The master-key rule that failed. */
  readonly rule: string;
  /** The master key concerned, if known. */
  readonly keyId: string | null;
  constructor(input: { rule: string; message: string; keyId?: string | null }) {
    super('master-key', input.message);
    this.rule = input.rule;
    this.keyId = input.keyId ?? null;
  }
}

/**
 * A command id already used on this case for a different command. Answering `duplicate` would
 * drop the new command silently (an erasure that never happens), so it is refused: nothing was
 * written, and the caller must give the new command an id of its own.
 */
export class CommandIdReusedError extends MisasError {
  /** Always `command-id-reused`: the rule, as `CommandRejectedError` and `AccessDeniedError` name theirs. */
  readonly rule = 'command-id-reused';
  /** The case the command was sent to. */
  readonly caseId: string;
  /** The reused command id. */
  readonly commandId: string;
  /** The types of the events the earlier command produced. */
  readonly earlierEvents: readonly string[];
  constructor(input: { caseId: string; commandId: string; earlierEvents: readonly string[] }) {
    super(
      'command-id-reused',
      `Command id ${input.commandId} was already used on case ${input.caseId} by another command (which recorded ` +
        `${input.earlierEvents.join(', ') || 'no event'}): nothing was written; give each new command a new command id [command-id-reused]`,
    );
    this.caseId = input.caseId;
    this.commandId = input.commandId;
    this.earlierEvents = input.earlierEvents;
  }
}
