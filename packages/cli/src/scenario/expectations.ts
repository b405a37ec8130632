/**
 * Checking what a step produced against what it expects. Pure: each mismatch becomes one
 * sentence naming the step, so that a failing run says exactly where and what.
 */
import type { StepExpectation } from './schema.ts';
import type { StepError } from './result.ts';

/** What a step produced, as far as expectations can see. */
export interface Observed {
  readonly eventTypes: readonly string[];
  readonly state: string | null;
  readonly error: StepError | null;
}

/** Who the step is, for messages: `step 4 (as counsellor, AgreePlan)`. */
export interface StepLabel {
  readonly step: number;
  readonly as: string;
  readonly command: string;
}

/** Whether `wanted` appears in `found` in order, other items allowed in between. */
export function isSubsequence(wanted: readonly string[], found: readonly string[]): boolean {
  let next = 0;
  for (const item of found) if (item === wanted[next]) next++;
  return next === wanted.length;
}

const listed = (items: readonly string[]) => (items.length > 0 ? `[${items.join(', ')}]` : 'no events');
const errorWords = (error: StepError) => `${error.code}${error.rule ? ` (rule ${error.rule})` : ''}`;

/**
 * The mismatches between a step's expectation and what it produced. A step that fails without
 * expecting an error is a mismatch too: a scenario states its refusals.
 */
export function unmetExpectations(label: StepLabel, expect: StepExpectation | undefined, observed: Observed): string[] {
  const prefix = `step ${label.step} (as ${label.as}, ${label.command})`;
  const failures: string[] = [];
  const expectedError = expect?.error;
  if (expectedError === undefined) {
    if (observed.error) failures.push(`${prefix}: expected the command to succeed, but it failed with ${errorWords(observed.error)}: ${observed.error.message}`);
  } else if (observed.error === null) {
    failures.push(`${prefix}: expected an error${expectedError.code ? ` ${expectedError.code}` : ''}${expectedError.rule ? ` (rule ${expectedError.rule})` : ''}, but the command succeeded with ${listed(observed.eventTypes)}`);
  } else {
    const codeDiffers = expectedError.code !== undefined && expectedError.code !== observed.error.code;
    const ruleDiffers = expectedError.rule !== undefined && expectedError.rule !== observed.error.rule;
    if (codeDiffers || ruleDiffers) {
      const wanted = `${expectedError.code ?? 'an error'}${expectedError.rule ? ` (rule ${expectedError.rule})` : ''}`;
      failures.push(`${prefix}: expected ${wanted}, found ${errorWords(observed.error)}`);
    }
  }
  if (expect?.events && !isSubsequence(expect.events, observed.eventTypes)) {
    failures.push(`${prefix}: expected events ${listed(expect.events)} in this order, found ${listed(observed.eventTypes)}`);
  }
  if (expect?.state !== undefined && expect.state !== observed.state) {
    failures.push(`${prefix}: expected state '${expect.state}', found ${observed.state === null ? 'no case' : `'${observed.state}'`}`);
  }
  return failures;
}
