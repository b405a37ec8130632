/**
 * Read models of misas: the case register, counsellors' caseloads and agendas, the indicators,
 * the national evaluation extract, the detector view and the retention schedule. Each is a
 * `Projection` for the engine plus typed queries over `readModel(store, name)`.
 * @packageDocumentation
 */
export * from './shared/case-step.ts';
export * from './shared/days.ts';
export * from './shared/documents.ts';
export * from './register/register-row.ts';
export * from './register/register-projection.ts';
export * from './register/register-queries.ts';
export * from './register/person-names.ts';
export * from './caseload/caseload-case.ts';
export * from './caseload/caseload-projection.ts';
export * from './caseload/agenda-queries.ts';
export * from './caseload/appointment-queries.ts';
export * from './indicators/percentiles.ts';
export * from './indicators/indicator-set.ts';
export * from './indicators/indicator-definitions.ts';
export * from './indicators/breakdowns.ts';
export * from './indicators/indicators.ts';
export * from './indicators/load-rows.ts';
export * from './indicators/indicators-doc.ts';
export * from './evaluation/evaluation-row.ts';
export * from './evaluation/pseudonym.ts';
export * from './evaluation/evaluation-extract.ts';
export * from './detector-view/detector-view-projection.ts';
export * from './detector-view/detector-view-queries.ts';
export * from './retention/retention-projection.ts';
export * from './retention/retention-queries.ts';
