/**
 * `misas report`: a self-contained HTML page of charts over the case register.
 */
export * from './build-report.ts';
export * from './charts.ts';
export * from './html.ts';
export * from './lifecycle-diagram.ts';
export * from './page.ts';
export * from './register-rows.ts';
export * from './report-figures.ts';
export * from './fund-rows.ts';
