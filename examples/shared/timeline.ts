/**
 * Prints a case's events as a readable timeline: day, who acted, what happened.
 */
import { describeEvent, type CaseEvent } from '@misas/core';

/** Formats events, one line each, grouped under their day. */
export function formatTimeline(events: readonly CaseEvent[]): string {
  const lines: string[] = [];
  let currentDay = '';
  for (const event of events) {
    const day = event.meta.occurredAt.slice(0, 10);
    if (day !== currentDay) {
      lines.push(`${lines.length > 0 ? '\n' : ''}${day}`);
      currentDay = day;
    }
    const who = `${event.meta.actor.role}:${event.meta.actor.id}`;
    lines.push(`  ${event.meta.occurredAt.slice(11, 16)}  ${who.padEnd(32)} ${describeEvent(event)}`);
  }
  return lines.join('\n');
}
