/**
 * The permission check of a file holding a secret (a master key file, a password file): like ssh
 * with a private key and libpq with `.pgpass`, a secret file that other users may read is refused.
 */
import { statSync } from 'node:fs';

/**
 * The file's permission bits (e.g. `0o644`) when its group or other users have any access to it,
 * else undefined. Always undefined on Windows, whose files carry no such bits.
 */
export function modeOpenToOthers(path: string): number | undefined {
  if (process.platform === 'win32') return undefined;
  const mode = statSync(path).mode & 0o777;
  return (mode & 0o077) === 0 ? undefined : mode;
}
