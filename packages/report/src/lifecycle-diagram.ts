/**
 * The lifecycle diagram of the page: the Mermaid text `@misas/core` draws from the case machine
 * (the one in `docs/lifecycle.md`), and Mermaid's browser bundle inlined so that the page renders
 * it offline.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Where Mermaid's self-contained browser bundle is installed. */
export function mermaidBundlePath(): string {
  return require.resolve('mermaid/dist/mermaid.min.js');
}

/** Mermaid's browser bundle, read from `node_modules` at report time. */
export async function readMermaidBundle(): Promise<string> {
  return readFile(mermaidBundlePath(), 'utf8');
}
