/**
 * What playing a scenario gives: per step the events, the state after and the error, whether its
 * expectation held; at the end each case's state and the indicators. Plain data: `--json` prints
 * it as is.
 */
import type { CaseEventType } from '@misas/core';
import type { IndicatorReport } from '@misas/projections';

/** One event of a step, in words. */
export interface StepEvent {
  readonly type: CaseEventType;
  /** `describeEvent`'s line: never personal data. */
  readonly description: string;
}

/** Why a step's command failed. */
export interface StepError {
  readonly code: string;
  /** The refusing rule (`allowed-in-state`, `other-fund`…), or the first field's rule for a validation error. */
  readonly rule: string | null;
  readonly message: string;
}

/** One step, played. */
export interface StepResult {
  /** 1-based, as people count. */
  readonly step: number;
  readonly at: string;
  readonly as: string;
  readonly role: string;
  readonly caseId: string;
  readonly command: string;
  /** `duplicate` when the store already held this command (a scenario played twice on one store). */
  readonly outcome: 'applied' | 'duplicate' | 'failed';
  readonly events: readonly StepEvent[];
  /** The case's step after this one; `null` while the case does not exist. */
  readonly state: string | null;
  readonly error: StepError | null;
  /** Whether the step's expectation held (true for a step without one that did not fail). */
  readonly ok: boolean;
  /** What did not hold, one sentence each, naming the step. Empty when `ok`. */
  readonly failures: readonly string[];
}

/** A case at the end of the scenario. */
export interface FinalCase {
  readonly caseId: string;
  readonly state: string | null;
  readonly version: number;
}

/** A scenario, played. */
export interface ScenarioResult {
  readonly name: string;
  readonly ok: boolean;
  readonly steps: readonly StepResult[];
  readonly cases: readonly FinalCase[];
  /** The indicators of the scenario's cases over its period. */
  readonly indicators: IndicatorReport;
}
