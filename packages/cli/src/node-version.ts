/**
 * The runtime check the `misas` binary makes before it loads anything else: on an older Node.js it
 * prints one line naming the version needed, instead of a stack trace from deep inside a store.
 * Self-contained on purpose (no import), so that it runs on any Node.js that can parse it.
 */

/** The oldest Node.js misas runs on: the floor of every package's `engines` (see `@misas/adapters`' `minimumNodeVersion`). */
export const cliMinimumNodeVersion = '22.16.0';

/** Why the running Node.js cannot run misas, or undefined when it can. */
export function unsupportedNodeReason(running: string): string | undefined {
  const [major = 0, minor = 0, patch = 0] = running.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [needMajor = 0, needMinor = 0, needPatch = 0] = cliMinimumNodeVersion.split('.').map(Number);
  const enough = major !== needMajor ? major > needMajor : minor !== needMinor ? minor > needMinor : patch >= needPatch;
  return enough ? undefined : `this is Node.js ${running}; misas needs Node.js >= ${cliMinimumNodeVersion}: upgrade Node.js (nvm, fnm or your system's packages)`;
}
