/**
 * What the browser tests share: where Chromium is, and whether its absence skips or fails.
 * Runner-agnostic (no vitest import), like the PostgreSQL test kit.
 */
import { existsSync } from 'node:fs';

/** Chromium's executable: `MISAS_CHROMIUM`, else Debian's. */
export const chromiumPath: string = process.env['MISAS_CHROMIUM'] || '/usr/bin/chromium';

/** Whether Chromium is installed. */
export const chromiumFound: boolean = existsSync(chromiumPath);

/** In CI the browser tests must run: a missing Chromium is a failure, not a skip. */
export const chromiumMissingInCi: boolean = !chromiumFound && Boolean(process.env['CI']);

/** The message of the test that fails in CI without Chromium. */
export const chromiumRequiredMessage = `Chromium is required in CI (looked for ${chromiumPath}; set MISAS_CHROMIUM or install Debian's chromium)`;

/** Flags for a headless run as root in a container. */
export const chromiumArgs: readonly string[] = ['--no-sandbox', '--headless=new'];
