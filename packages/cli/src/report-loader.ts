/**
 * `@misas/report` (the page, its charts and the Mermaid bundle: the heavy part of misas) is an
 * optional peer of the CLI: installing `@misas/cli` does not install it, and only `misas report`
 * loads it, so that every other command starts without Vega nor Mermaid.
 */
import { CliError, ExitCode } from './cli-output.ts';

/** The report package, as `misas report` uses it. */
export type ReportModule = typeof import('@misas/report');

/** What `misas report` says when `@misas/report` is not installed (exit 1, like a Node.js too old). */
export const reportNotInstalled = 'misas report needs the package @misas/report, which is not installed: npm install @misas/report (the version of @misas/cli)';

/** Whether `error` is Node's "this package is not installed" for `name` itself (not for one of its dependencies). */
export function isMissingPackage(error: unknown, name: string): boolean {
  if (!(error instanceof Error) || !('code' in error) || error.code !== 'ERR_MODULE_NOT_FOUND') return false;
  // A dependency of the package missing names that dependency, and the package only in the importer's path.
  return error.message.includes(`Cannot find package '${name}'`);
}

/**
 * Loads `@misas/report`; its absence is one line naming what to install. `load` is the import
 * itself, replaced in tests.
 * @throws CliError (exit 1) when the package is not installed
 */
export async function loadReport(load: () => Promise<ReportModule> = () => import('@misas/report')): Promise<ReportModule> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPackage(error, '@misas/report')) throw new CliError(reportNotInstalled, ExitCode.failed);
    throw error;
  }
}
