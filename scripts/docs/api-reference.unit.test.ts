/**
 * The pure parts of the API reference's generation: the one exempt TypeDoc warning, the index
 * header, and the drift between the generated and the committed tree (what `docs:check` reports).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiDocsHeader, filesUnder, isExemptWarning, readTree, treeDrift, withApiDocsHeader } from './api-reference.ts';

describe('the API reference', () => {
  it('lets pass only a missing comment on a field of an inline object type (a zod-inferred type)', () => {
    expect(isExemptWarning('@misas/cli.Calibration.__type.seed (Property), defined in @misas/cli/src/simulation/calibration.ts, does not have any documentation')).toBe(true);
    expect(isExemptWarning('@misas/cli.Calibration.__type.rightsOpened.__type.disability-recognition (Property), defined in misas/, does not have any documentation')).toBe(true);
    expect(isExemptWarning('[warning] @misas/cli.Segment.next.__type.at (Property), defined in @misas/cli/src/simulation/script/timeline.ts, does not have any documentation')).toBe(true);
    expect(isExemptWarning('[warning] @misas/core.MisasStorage.events (Property), defined in @misas/core/src/application/ports/storage.ts, does not have any documentation')).toBe(false);
    // A member of an interface or class, an export, a signature: it must be documented.
    expect(isExemptWarning('@misas/core.MisasStorage.events (Property), defined in @misas/core/src/application/ports/storage.ts, does not have any documentation')).toBe(false);
    expect(isExemptWarning('@misas/core.ReceiveReferral (Variable), defined in @misas/core/src/domain/commands.ts, does not have any documentation')).toBe(false);
    expect(isExemptWarning('@misas/core.IdGenerator.next (CallSignature), defined in @misas/core/src/application/ports/id-generator.ts, does not have any documentation')).toBe(false);
    // Any other warning fails.
    expect(isExemptWarning('Failed to resolve link to "Nowhere" in comment for @misas/core.decide')).toBe(false);
    expect(isExemptWarning('@misas/core.X.__type.y, defined in misas/, is referenced by @misas/core.x but not included in the documentation')).toBe(false);
  });

  it('says on its index page that it is generated, once', () => {
    const index = withApiDocsHeader('# misas API reference\n');
    expect(index.startsWith(apiDocsHeader)).toBe(true);
    expect(withApiDocsHeader(index)).toBe(index);
  });

  it('reports changed, new and removed pages between the generated and the committed tree', () => {
    const generated = new Map([
      ['README.md', 'index'],
      ['@misas/core/functions/decide.md', 'decide, documented'],
      ['@misas/core/functions/evolve.md', 'evolve'],
    ]);
    const committed = new Map([
      ['README.md', 'index'],
      ['@misas/core/functions/decide.md', 'decide'],
      ['@misas/core/functions/gone.md', 'an export that was removed'],
    ]);
    expect(treeDrift(generated, committed)).toEqual({
      changed: ['@misas/core/functions/decide.md', '@misas/core/functions/evolve.md'],
      removed: ['@misas/core/functions/gone.md'],
    });
    expect(treeDrift(generated, generated)).toEqual({ changed: [], removed: [] });
  });

  it('reads a tree with forward-slash paths, and a missing folder as empty', () => {
    const folder = mkdtempSync(join(tmpdir(), 'misas-api-tree-'));
    try {
      mkdirSync(join(folder, '@misas', 'core'), { recursive: true });
      writeFileSync(join(folder, 'README.md'), 'index');
      writeFileSync(join(folder, '@misas', 'core', 'README.md'), 'core');
      expect(filesUnder(folder)).toEqual(['@misas/core/README.md', 'README.md']);
      expect(readTree(folder).get('@misas/core/README.md')).toBe('core');
      expect(filesUnder(join(folder, 'missing'))).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
