/**
 * The events of the peer workload: streams of 20 events, each event its own command, shaped as
 * the command handler writes them (a `TimeSpentLogged` with full metadata and a fingerprint).
 */
import { createHash } from 'node:crypto';
import type { AppendRequest, EventMetadata } from '@misas/core';

/** Events per stream, as in the peer library's benchmark. */
export const eventsPerStream = 20;

/** The stream ids of a run. `run` keeps event and command ids unique across the runs of one schema-free store. */
export function streamIds(streams: number, run: string): string[] {
  return Array.from({ length: streams }, (_, index) => `case-${run}-${String(index).padStart(5, '0')}`);
}

/** The append of the command that writes event `version` (from 1) of `streamId`, expecting `version - 1`. */
export function appendOf(streamId: string, version: number): AppendRequest {
  const commandId = `${streamId}/log-${version}`;
  const at = new Date(Date.UTC(2026, 0, 5, 9, version)).toISOString();
  const meta: EventMetadata = {
    eventId: `${streamId}-evt-${version}`,
    caseId: streamId,
    version,
    occurredAt: at,
    recordedAt: at,
    actor: { role: 'counsellor', id: 'cas-001' },
    correlationId: commandId,
    causationId: commandId,
    commandId,
    schemaVersion: 2,
    commandFingerprint: createHash('sha256').update(commandId).digest('hex'),
  };
  return {
    streamId,
    expectedVersion: version - 1,
    commandId,
    events: [{ type: 'TimeSpentLogged', data: { minutes: 15 + (version % 30), activity: 'paperwork', strand: 'care' }, meta }],
  };
}

/** Every append of a run, stream after stream, each stream's in version order. */
export function appendsOf(streams: readonly string[]): AppendRequest[] {
  return streams.flatMap((streamId) => Array.from({ length: eventsPerStream }, (_, index) => appendOf(streamId, index + 1)));
}
