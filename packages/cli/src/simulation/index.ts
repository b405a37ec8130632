/**
 * The whole-year simulation behind `misas simulate`: a calibrated year of referrals played through
 * the real command handler, store, scheduler and projections.
 * @packageDocumentation
 */
export * from './calibration.ts';
export { planCases, referralsFor, simulationCaseIdPrefix, type CasePath, type CaseProfile, type Ending, type PlannedCase } from './case-plan.ts';
export * from './comparison.ts';
export * from './runner.ts';
export * from './funds.ts';
export { simulateNational, type NationalHooks, type NationalOptions } from './national.ts';
export { caseSegments } from './script/case-script.ts';
export type { Segment } from './script/timeline.ts';
export * from './store-guard.ts';
export { caseScript } from './script/case-script.ts';
export type { Step } from './script/timeline.ts';
