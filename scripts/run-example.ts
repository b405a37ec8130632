/**
 * `pnpm example NAME`: runs `examples/NAME/main.ts`. Without a name, lists the examples.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const examplesDir = join(import.meta.dirname, '..', 'examples');
const available = readdirSync(examplesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(examplesDir, entry.name, 'main.ts')))
  .map((entry) => entry.name)
  .sort();

const name = process.argv[2];
if (!name || !available.includes(name)) {
  if (name) console.error(`Unknown example '${name}'.`);
  console.error(`Usage: pnpm example NAME\nExamples: ${available.join(', ')}`);
  process.exit(name ? 1 : 0);
}

const module = (await import(pathToFileURL(join(examplesDir, name, 'main.ts')).href)) as { main?: () => Promise<void> };
if (typeof module.main !== 'function') {
  console.error(`examples/${name}/main.ts exports no main() function.`);
  process.exit(1);
}
await module.main();
