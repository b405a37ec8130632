import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MasterKeyRing } from '@misas/core';
import pg from 'pg';
import { openPostgresStorage } from './index.ts';
import { pgMissingInCi, pgRequiredMessage, pgUrl, requirePgUrl, withAdminClient } from './test-kit.ts';

describe.runIf(pgMissingInCi)('PostgreSQL password file in CI', () => {
  it('given CI, when MISAS_PG_URL is absent, then the suite fails', () => {
    throw new Error(pgRequiredMessage);
  });
});

// The test cluster trusts every connection; this suite makes one role of its own need a real
// password (scram-sha-256), by a pg_hba.conf line that names only that role, so that a password
// that is not sent, or not the right one, is refused for real.
describe.skipIf(pgUrl === undefined)('the PostgreSQL password from a file, against a server that asks for it', () => {
  const role = `misas_pw_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const folder = mkdtempSync(join(tmpdir(), 'misas-pg-password-'));
  let hbaFile = '';
  let hbaBefore = '';
  const roleUrl = (): string => {
    const url = new URL(requirePgUrl());
    url.username = role;
    url.password = '';
    return url.toString();
  };
  const keys = MasterKeyRing.ephemeral();

  beforeAll(async () => {
    await withAdminClient(async (client) => {
      await client.query(`SET password_encryption = 'scram-sha-256'`);
      await client.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
      await client.query(`GRANT CREATE ON DATABASE ${pg.escapeIdentifier(new URL(requirePgUrl()).pathname.slice(1) || 'postgres')} TO ${role}`);
      hbaFile = (await client.query<{ hba_file: string }>('SHOW hba_file')).rows[0]?.hba_file ?? '';
      hbaBefore = readFileSync(hbaFile, 'utf8');
      // First matching line wins: this one goes before the cluster's trust lines.
      writeFileSync(hbaFile, `host all ${role} all scram-sha-256\n${hbaBefore}`);
      await client.query('SELECT pg_reload_conf()');
    });
  });

  afterAll(async () => {
    if (hbaFile !== '') writeFileSync(hbaFile, hbaBefore);
    await withAdminClient(async (client) => {
      await client.query('SELECT pg_reload_conf()');
      await client.query(`DROP SCHEMA IF EXISTS ${role} CASCADE`);
      await client.query(`DROP OWNED BY ${role}`).catch(() => undefined);
      await client.query(`DROP ROLE IF EXISTS ${role}`);
    });
    rmSync(folder, { recursive: true, force: true });
  });

  it('given no password at all, then the server refuses the role (the line is in force)', async () => {
    await expect(openPostgresStorage({ connectionString: roleUrl(), schema: role, masterKeys: keys, environment: {} })).rejects.toThrow();
  });

  it('given MISAS_PG_PASSWORD_FILE with the right password, then the store opens and works; with a wrong one it is refused', async () => {
    const file = join(folder, 'password');
    writeFileSync(file, `${password}\n`);
    chmodSync(file, 0o600);
    const storage = await openPostgresStorage({ connectionString: roleUrl(), schema: role, masterKeys: keys, environment: { MISAS_PG_PASSWORD_FILE: file } });
    try {
      expect(await storage.events.headPosition()).toBe(0);
    } finally {
      await storage.close();
    }
    writeFileSync(file, 'not-the-password\n');
    await expect(openPostgresStorage({ connectionString: roleUrl(), schema: role, masterKeys: keys, environment: { MISAS_PG_PASSWORD_FILE: file } })).rejects.toThrow(/password|authentication/i);
  });
});
