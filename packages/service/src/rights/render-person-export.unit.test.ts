/**
 * The document of an export: what people typed is shown as text, never as Markdown or HTML, and
 * the same data always gives the same document.
 */
import { describe, expect, it } from 'vitest';
import { renderPersonExport } from './render-person-export.ts';
import { counsellor, dpo, rightsWorld } from './testing/rights-world.ts';

describe('rendering an export', () => {
  it('given a note with Markdown and HTML in it, when rendered, then it is quoted as text and starts no heading nor tag', async () => {
    const world = await rightsWorld();
    const text = '# Not a heading\n<img src=x onerror=alert(1)> **bold** [link](http://x)';
    await world.misas.as(counsellor).execute({ type: 'AddNote', caseId: 'case-1', commandId: 'note-md', data: { text } });
    const { data, document } = await world.misas.as(dpo).exportPerson('case-1');

    expect(document).toContain('  > \\# Not a heading\n  > \\<img src=x onerror=alert(1)\\> \\*\\*bold\\*\\* \\[link\\](http://x)');
    expect(document.split('\n').filter((line) => line.startsWith('# '))).toEqual(['# Your data at the Mission accompagnement santé']);
    expect(document).not.toMatch(/(^|[^\\])<img/m);
    expect(renderPersonExport(data)).toBe(document);
  });

  it('given an export, when rendered, then its headings come in the order of the person’s questions', async () => {
    const world = await rightsWorld();
    const { document } = await world.misas.as(dpo).exportPerson('case-2');
    const headings = document.split('\n').filter((line) => line.startsWith('## '));
    expect(headings).toEqual([
      '## The case',
      '## Your data',
      '## Changes to your data',
      '## Calls and appointments',
      '## Your consent',
      '## Who received your data',
      '## What happened',
      '## How long we keep it',
      '## Who accessed it',
    ]);
  });
});
