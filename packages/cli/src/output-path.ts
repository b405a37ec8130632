/**
 * Output files (`export --out`, `report --out`): checked before any work is done, so that an export
 * is never made, kept and audited only to fail at the last step; written with errors in words.
 */
import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CliError, ExitCode } from './cli-output.ts';

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

/**
 * The absolute path of an output file, once its folder is known to exist and the file can be
 * written (access(2): a read-only mount, an immutable file or a missing permission refuse it).
 * @throws CliError (bad input) naming the option, the path and what to do
 */
export async function checkOutputPath(file: string, option = '--out'): Promise<string> {
  const path = resolve(file);
  const folder = dirname(path);
  const folderInfo = await statOrNull(folder);
  if (folderInfo === null) throw new CliError(`${option} ${file}: the folder ${folder} does not exist: create it, or write elsewhere`, ExitCode.badInput);
  if (!folderInfo.isDirectory()) throw new CliError(`${option} ${file}: ${folder} is not a folder`, ExitCode.badInput);
  const fileInfo = await statOrNull(path);
  if (fileInfo?.isDirectory()) throw new CliError(`${option} ${file}: ${path} is a folder: name a file`, ExitCode.badInput);
  try {
    await access(fileInfo === null ? folder : path, constants.W_OK);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'denied';
    const what = fileInfo === null ? `the folder ${folder}` : path;
    throw new CliError(`${option} ${file}: ${what} cannot be written (${code}): choose another path or fix its permissions`, ExitCode.badInput);
  }
  return path;
}

/**
 * Writes an output file checked by {@link checkOutputPath}. Should the disk fill up or the file be
 * taken away meanwhile, the failure is still one line: a full disk has its own exit code.
 */
export async function writeOutputFile(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown';
    if (code === 'ENOSPC') throw new CliError(`no space left to write ${path}: free disk space, then retry`, ExitCode.diskFull);
    throw new CliError(`cannot write ${path} (${code}): choose another path or fix its permissions`, ExitCode.badInput);
  }
}
