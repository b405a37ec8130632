import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { passwordFileVariable, passwordFromFile } from './password-file.ts';

const folder = mkdtempSync(join(tmpdir(), 'misas-pg-password-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function secretFile(name: string, content: string, mode = 0o600): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

const url = 'postgres://misas@db.example:5432/misas';

describe('the PostgreSQL password from a file', () => {
  it('given no file named, then pg keeps its own sources (URL, PGPASSWORD, ~/.pgpass)', () => {
    expect(passwordFromFile(url, { environment: {} })).toBeUndefined();
  });

  it('given MISAS_PG_PASSWORD_FILE, then the password is the file\'s line, read again at each call (a rotated secret is seen)', () => {
    const path = secretFile('rotating', 's3cret:with@odd/chars\n');
    const password = passwordFromFile(url, { environment: { [passwordFileVariable]: path } });
    expect(password?.()).toBe('s3cret:with@odd/chars');
    writeFileSync(path, 'rotated\n');
    expect(password?.()).toBe('rotated');
  });

  it('given the option and the variable, then the option wins', () => {
    const fromOption = secretFile('option', 'from-option');
    const fromVariable = secretFile('variable', 'from-variable');
    expect(passwordFromFile(url, { passwordFile: fromOption, environment: { [passwordFileVariable]: fromVariable } })?.()).toBe('from-option');
  });

  it('given a URL that carries a password too, then the open is refused: give one', () => {
    const path = secretFile('both', 'x');
    expect(() => passwordFromFile('postgres://misas:inline@db/misas', { passwordFile: path })).toThrow(/URL carries a password .* give one/);
  });

  it('given a missing, empty, multi-line or world-readable file, then one line says what to fix and never shows its content', () => {
    const attempts: [string, RegExp][] = [
      [join(folder, 'absent'), /cannot read the PostgreSQL password file of passwordFile .*absent: check the path/],
      [secretFile('empty', '\n'), /must hold the password on one line/],
      [secretFile('two-lines', 'first-secret\nsecond\n'), /must hold the password on one line/],
      [secretFile('open', 'open-secret', 0o644), /open to other users \(mode 0644\): run chmod 600/],
    ];
    for (const [path, message] of attempts) {
      let thrown: unknown;
      try {
        passwordFromFile(url, { passwordFile: path });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Error);
      const text = String((thrown as Error).message);
      expect(text).toMatch(message);
      expect(text).not.toMatch(/secret/);
      expect(text.split('\n')).toHaveLength(1);
    }
  });
});
