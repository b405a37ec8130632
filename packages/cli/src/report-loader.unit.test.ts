/**
 * `misas report` without `@misas/report` installed: one line saying what to install, exit 1, and
 * nothing read nor written; a package missing deeper down (a dependency of the report) is not
 * mistaken for it.
 */
import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from './cli-output.ts';
import { isMissingPackage, loadReport, reportNotInstalled } from './report-loader.ts';

/** The error Node's `import()` throws for a package that is not installed. */
function notFound(name: string, importer: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from ${importer}`), { code: 'ERR_MODULE_NOT_FOUND' });
}

describe('loading @misas/report', () => {
  it('given the package missing, when misas report loads it, then it fails in one line naming the install, exit 1', async () => {
    const failure = await loadReport(() => Promise.reject(notFound('@misas/report', '/app/node_modules/@misas/cli/dist/report-loader.js'))).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    expect(failure).toMatchObject({ message: reportNotInstalled, exitCode: ExitCode.failed });
    expect(reportNotInstalled).toContain('npm install @misas/report');
    expect(reportNotInstalled).not.toContain('\n');
  });

  it('given a dependency of the report missing, when loaded, then the error is kept as it is (not "install @misas/report")', async () => {
    const deeper = notFound('vega', '/app/node_modules/@misas/report/dist/charts.js');
    expect(isMissingPackage(deeper, '@misas/report')).toBe(false);
    await expect(loadReport(() => Promise.reject(deeper))).rejects.toBe(deeper);
  });

  it('given the package installed, when loaded, then it is the report module', { timeout: 60_000 }, async () => {
    const report = await loadReport();
    expect(typeof report.buildReport).toBe('function');
  });
});
