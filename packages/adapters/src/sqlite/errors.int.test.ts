import { mkdtempSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { StorageFullError, StorageUnavailableError } from '@misas/core';
import { SqliteBusyError, translateError } from './errors.ts';

const context = { path: '/data/cases.db', busyTimeoutMs: 5000 };

/** The error a real SQLite connection throws for `work`. */
function sqliteErrorOf(work: () => void): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected SQLite to fail');
}

function fileWithTable(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'misas-sqlite-errors-')), 'a.db');
  const db = new DatabaseSync(path);
  db.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (1)');
  db.close();
  return path;
}

describe("the translation of SQLite's failures", () => {
  it('given a full database (max_page_count reached), then it is a StorageFullError naming the file', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE t (x BLOB); PRAGMA max_page_count = 3');
    const error = translateError(sqliteErrorOf(() => db.exec('INSERT INTO t VALUES (randomblob(100000))')), context);
    expect(error).toBeInstanceOf(StorageFullError);
    expect(error).toMatchObject({ code: 'storage-full', store: '/data/cases.db' });
  });

  it('given a write on a file opened read-only, then it is a read-only StorageUnavailableError saying what to check', () => {
    const db = new DatabaseSync(fileWithTable(), { readOnly: true });
    const error = translateError(sqliteErrorOf(() => db.exec('INSERT INTO t VALUES (2)')), context);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error).toMatchObject({ code: 'storage-read-only', reason: 'read-only' });
    expect(error).toHaveProperty('message', expect.stringContaining('writable'));
  });

  it('given a file whose header is overwritten, then it is a corrupt StorageUnavailableError naming PRAGMA integrity_check', () => {
    const path = fileWithTable();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0);
    closeSync(fd);
    const error = translateError(sqliteErrorOf(() => new DatabaseSync(path).prepare('SELECT * FROM t').all()), context);
    expect(error).toMatchObject({ code: 'storage-corrupt', reason: 'corrupt' });
    expect(error).toHaveProperty('message', expect.stringContaining("PRAGMA integrity_check"));
  });

  it('given a folder that does not exist, then it cannot be opened; a busy error stays a SqliteBusyError; any other error is unchanged', () => {
    expect(translateError(sqliteErrorOf(() => new DatabaseSync('/nonexistent-folder/a.db')), context)).toMatchObject({ code: 'storage-cannot-open' });
    const busy = Object.assign(new Error('database is locked'), { errcode: 5 });
    expect(translateError(busy, context)).toBeInstanceOf(SqliteBusyError);
    const syntax = sqliteErrorOf(() => new DatabaseSync(':memory:').exec('SELEC 1'));
    expect(translateError(syntax, context)).toBe(syntax);
    const plain = new Error('not SQLite');
    expect(translateError(plain, context)).toBe(plain);
  });
});
