import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { StorageFullError, StorageUnavailableError } from '@misas/core';
import { describePostgresStore, translatePostgresError } from './errors.ts';

const store = 'postgres://misas@db:5432/misas (schema cpam_22)';

/** An error as pg builds it from the server's ErrorResponse. */
function serverError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

describe("the translation of PostgreSQL's failures", () => {
  it.each([
    ['53100', 'could not extend file: No space left on device', 'storage-full'],
    ['25006', 'cannot execute INSERT in a read-only transaction', 'storage-read-only'],
    ['28P01', 'password authentication failed for user "misas"', 'storage-auth-failed'],
    ['3D000', 'database "nope" does not exist', 'storage-cannot-open'],
    ['57P03', 'the database system is starting up', 'storage-unreachable'],
    ['XX001', 'invalid page in block 12 of relation base/1/2', 'storage-corrupt'],
  ])('given SQLSTATE %s (%s), then it is a typed error with code %s', (code, message, expected) => {
    const error = translatePostgresError(serverError(code, message), store);
    expect(error).toMatchObject({ code: expected });
    expect(error instanceof StorageFullError || error instanceof StorageUnavailableError).toBe(true);
    expect(error).toHaveProperty('message', expect.stringContaining(store));
  });

  it('given a refused connection, then the store is unreachable; another error is unchanged', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(translatePostgresError(refused, store)).toMatchObject({ code: 'storage-unreachable', reason: 'unreachable' });
    const conflict = serverError('23505', 'duplicate key value violates unique constraint');
    expect(translatePostgresError(conflict, store)).toBe(conflict);
  });

  it('given a URL with a password, then the store named in messages never shows it', () => {
    expect(describePostgresStore('postgres://misas:s3cret@db:5432/misas', 'cpam_22')).toBe(store);
    expect(describePostgresStore('not a url', 'cpam_22')).toBe('PostgreSQL (schema cpam_22)');
  });
});
