/**
 * `misas export CASE --as-dpo ID --fund FUND`: the right of access. Runs through a
 * data-protection officer's session, so the export is authorised, kept in the vault and recorded
 * in the audit trail like any other.
 */
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { Id } from '@misas/core';
import { createMisas } from '@misas/service';
import type { CliOutput } from '../cli-output.ts';
import { readOptions } from '../options.ts';
import { checkOutputPath, writeOutputFile } from '../output-path.ts';
import { announceStore, teamStoreOption, withStorage } from '../storage.ts';

const ExportOptions = z.object({
  asDpo: Id,
  fund: Id,
  store: z.string().min(1),
  format: z.enum(['json', 'markdown']),
  out: z.string().min(1).optional(),
});

/** What was asked: whose data, by whom, in which form. */
export interface ExportRequest {
  readonly caseId: string;
  readonly dpoId: string;
  readonly fundId: string;
  readonly format: 'json' | 'markdown';
}

/**
 * The export of the person of a case, as text: the JSON answer (`exportId`, `generatedAt`,
 * `data`) or the readable document to send them.
 * @throws CaseNotFoundError when the case is unknown or another fund's (one answer for both)
 */
export async function exportCase(url: string, request: ExportRequest): Promise<string> {
  return withStorage(url, async (storage) => {
    const dpo = createMisas({ storage }).as({ role: 'data-protection-officer', id: request.dpoId, fundId: request.fundId });
    const answer = await dpo.exportPerson(request.caseId);
    return request.format === 'json' ? JSON.stringify({ exportId: answer.exportId, generatedAt: answer.generatedAt, data: answer.data }, null, 2) : answer.document;
  });
}

export function register(program: Command, output: CliOutput): void {
  program
    .command('export')
    .description("the right of access: everything held about the person of a case, as a data-protection officer")
    .argument('<case>', 'the case id')
    .requiredOption('--as-dpo <id>', "the data-protection officer's pseudonymous staff id (recorded in the audit trail)")
    .requiredOption('--fund <fund>', "the officer's fund; a case of another fund is refused")
    .addOption(teamStoreOption())
    .addOption(new Option('--format <format>', 'json (the data) or markdown (the document to send the person)').choices(['json', 'markdown']).default('json'))
    .option('--out <file>', 'write it to this file instead of stdout')
    .action(async (caseId: unknown, options: unknown, command: Command) => {
      const { asDpo, fund, store, format, out } = readOptions(ExportOptions, options);
      const { case: id } = readOptions(z.object({ case: Id }), { case: caseId });
      // Checked first: an export is kept in the vault and audited, so it must not be made for nothing.
      const path = out === undefined ? undefined : await checkOutputPath(out);
      announceStore(output, command, store);
      const text = await exportCase(store, { caseId: id, dpoId: asDpo, fundId: fund, format });
      if (path === undefined) output.out(text);
      else {
        await writeOutputFile(path, `${text}\n`);
        output.out(`wrote the ${format} export of case ${id} to ${out}`);
      }
    });
}
