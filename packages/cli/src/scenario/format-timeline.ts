/**
 * A played scenario as text for people: the steps under their day, with the events in words and
 * the state after each, a ✗ line under each step whose expectation did not hold, then the cases'
 * final states and the headline indicators.
 */
import type { Share } from '@misas/projections';
import type { ScenarioResult, StepResult } from './result.ts';

const percent = (share: Share) => (share.value === null ? 'n/a' : `${Math.round(share.value * 100)} % (${share.numerator}/${share.denominator})`);

function stepLines(step: StepResult): string[] {
  const state = step.state ?? 'no case';
  const lines = [`  ${step.at.slice(11, 16)}  ${step.role.padEnd(24)} ${step.command.padEnd(24)} ${step.caseId} → ${state}${step.outcome === 'duplicate' ? ' (already applied)' : ''}`];
  for (const event of step.events) lines.push(`${' '.repeat(9)}· ${event.description}`);
  if (step.error) lines.push(`${' '.repeat(9)}! ${step.error.code}${step.error.rule ? ` [${step.error.rule}]` : ''}: ${step.error.message.split('\n')[0] ?? ''}`);
  for (const failure of step.failures) lines.push(`  ✗ ${failure}`);
  return lines;
}

/** The readable timeline of one played scenario; `source` (a file name) heads it. */
export function formatTimeline(result: ScenarioResult, source?: string): string {
  const lines = [`${result.name}${source ? ` (${source})` : ''}`];
  let day = '';
  for (const step of result.steps) {
    if (step.at.slice(0, 10) !== day) {
      day = step.at.slice(0, 10);
      lines.push(day);
    }
    lines.push(...stepLines(step));
  }
  lines.push('cases:');
  for (const found of result.cases) lines.push(`  ${found.caseId}: ${found.state ?? 'no case'} (${found.version} events)`);
  const overall = result.indicators.overall;
  lines.push(
    `indicators ${result.indicators.period.from} → ${result.indicators.period.to}: ${overall.referred} referred, ${overall.accepted} accepted, ` +
      `${overall.accompaniedAndClosed} accompanied and closed; rights opened ${percent(overall.rightsShare)}, care carried out ${percent(overall.careShare)}`,
  );
  const failed = result.steps.filter((step) => !step.ok).length;
  lines.push(failed === 0 ? `✓ every expectation held (${result.steps.length} steps)` : `✗ ${failed} of ${result.steps.length} steps did not go as expected`);
  return lines.join('\n');
}
