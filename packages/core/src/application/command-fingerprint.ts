/**
 * Binding a command id to its command. A command id makes a retry idempotent: the second send is
 * answered with the first one's events. Reused for a *different* command, the same rule would drop
 * that command silently, so every event records a fingerprint of the command that produced it, and
 * both the handler and the event stores refuse a command id that comes back with another
 * fingerprint (`CommandIdReusedError`).
 *
 * The fingerprint is the SHA-256 of the RFC 8785 canonical JSON (the `canonicalize` package, by the
 * RFC's author: key order and number formatting fixed, so any implementation reproduces it) of
 * `{ type, caseId, data }`, with two choices:
 * - the actor, the correlation and the causation are left out: they say who sent the command and
 *   why, not what it does. A retry from another process or session of the same request (workers
 *   racing to open one case with one id) stays a retry, and the first sender stays on record.
 * - personal data is left out (a referral's identity, contact details, NIR and free text, a note's
 *   text, a rectification's new values; which fields are rectified stays in). The log is never
 *   erased, and a bare hash of a phone number can be reversed by trying every number. Two
 *   commands that differ only in personal data share a fingerprint: the handler then compares the
 *   personal data with what the vault kept of the first send (`assertSamePersonalData`); a raw
 *   append at the store, or a person already erased, is checked on the fingerprint alone.
 */
import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { CaseCommand } from '../domain/commands.ts';
import { splitReferral } from '../domain/referral.ts';
import { CommandIdReusedError } from '../errors.ts';

/** The part of a command its fingerprint covers: what it asks for, without personal data. */
function fingerprintedPart(command: CaseCommand): { type: string; caseId: string; data: unknown } {
  const { type, caseId } = command;
  switch (command.type) {
    case 'ReceiveReferral':
      return { type, caseId, data: { ...command.data, form: splitReferral(command.data.form).facts } };
    case 'AddNote':
      return { type, caseId, data: {} };
    case 'RectifyPersonalData':
      return { type, caseId, data: { fields: Object.keys(command.data.person).sort() } };
    default:
      return { type, caseId, data: command.data };
  }
}

/** The fingerprint of a validated command: 64 lowercase hex digits. */
export function commandFingerprint(command: CaseCommand): string {
  const canonical = canonicalize(fingerprintedPart(command));
  if (canonical === undefined) throw new TypeError(`command ${command.commandId} has no JSON form`);
  // The one-shot `hash`: a third of what a `createHash` object costs for a few hundred bytes.
  return hash('sha256', canonical, 'hex');
}

/** The fingerprint recorded on a stored or new event, when it has one (events written before it existed do not). */
export function recordedFingerprint(event: { readonly meta: unknown }): string | undefined {
  const meta = event.meta;
  if (typeof meta !== 'object' || meta === null || !('commandFingerprint' in meta)) return undefined;
  return typeof meta.commandFingerprint === 'string' ? meta.commandFingerprint : undefined;
}

/**
 * Checks that a command id found in the stream came from the same command. Silent when either side
 * has no fingerprint (events written before fingerprints, or a raw append without one): nothing
 * can be compared then, and the command is treated as a retry, as it always was.
 * @throws CommandIdReusedError when both have a fingerprint and they differ
 */
export function assertSameCommand(
  attempt: { readonly caseId: string; readonly commandId: string; readonly fingerprint: string | undefined },
  earlier: readonly { readonly type: string; readonly meta: unknown }[],
): void {
  const first = earlier[0];
  if (attempt.fingerprint === undefined || first === undefined) return;
  const stored = recordedFingerprint(first);
  if (stored === undefined || stored === attempt.fingerprint) return;
  throw new CommandIdReusedError({ caseId: attempt.caseId, commandId: attempt.commandId, earlierEvents: earlier.map((event) => event.type) });
}

/** The fingerprint an append carries: its first event's (`assertWellFormedAppend` checks that all of them carry the same). */
export function appendFingerprint(request: { readonly events: readonly { readonly meta: unknown }[] }): string | undefined {
  const first = request.events[0];
  return first === undefined ? undefined : recordedFingerprint(first);
}
