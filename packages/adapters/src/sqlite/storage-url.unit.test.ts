import { describe, expect, it } from 'vitest';
import { parseSqliteUrl } from './storage-url.ts';

function refusal(url: string): { code?: unknown; message: string } {
  try {
    parseSqliteUrl(url);
  } catch (error) {
    if (error instanceof Error) return { code: 'code' in error ? error.code : undefined, message: error.message };
  }
  throw new Error(`${url} was not refused`);
}

describe('SQLite storage URLs', () => {
  it('given a path with or without the sqlite: prefix, then it is the file, at the default durability', () => {
    expect(parseSqliteUrl('sqlite:./cases.db')).toEqual({ path: './cases.db' });
    expect(parseSqliteUrl('./cases.db')).toEqual({ path: './cases.db' });
    expect(parseSqliteUrl('sqlite:/srv/misas/cases.db')).toEqual({ path: '/srv/misas/cases.db' });
    expect(parseSqliteUrl('sqlite::memory:')).toEqual({ path: ':memory:' });
  });

  it('given ?synchronous=normal or full, then the durability is set and the path keeps no query', () => {
    expect(parseSqliteUrl('sqlite:./x.db?synchronous=normal')).toEqual({ path: './x.db', synchronous: 'normal' });
    expect(parseSqliteUrl('sqlite:./x.db?synchronous=full')).toEqual({ path: './x.db', synchronous: 'full' });
    expect(parseSqliteUrl('./x.db?synchronous=normal')).toEqual({ path: './x.db', synchronous: 'normal' });
    expect(parseSqliteUrl('sqlite::memory:?synchronous=normal')).toEqual({ path: ':memory:', synchronous: 'normal' });
  });

  it('given synchronous=off, then it is refused with the reason and the values allowed', () => {
    const { code, message } = refusal('sqlite:./x.db?synchronous=off');
    expect(code).toBe('invalid-storage-url');
    expect(message).toMatch(/synchronous=off is refused: a power loss could corrupt the file/);
    expect(message).toContain('allowed: full, normal');
  });

  it.each([
    ['sqlite:./x.db?synchronous=NORMAL', /synchronous=NORMAL is not a value misas knows \(allowed: full, normal\)/],
    ['sqlite:./x.db?synchronous=', /synchronous needs a value \(allowed: full, normal\)/],
    ['sqlite:./x.db?synchronous', /synchronous needs a value/],
    ['sqlite:./x.db?sync=normal', /'sync' is not a SQLite storage URL parameter misas knows \(allowed: synchronous, and verify\)/],
    ['sqlite:./x.db?synchronous=normal&journal=wal', /'journal' is not a SQLite storage URL parameter/],
    ['./x.db?constructor=1', /'constructor' is not a SQLite storage URL parameter/],
    ['sqlite:./x.db?synchronous=normal&synchronous=full', /synchronous is given twice/],
    ['sqlite:./x.db?', /'' is not a SQLite storage URL parameter/],
    ['sqlite:', /names no file/],
    ['sqlite:?synchronous=normal', /names no file/],
  ])('given %s, then it is refused in one line that names the parameter', (url, expected) => {
    const { code, message } = refusal(url);
    expect(code).toBe('invalid-storage-url');
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  it.each([
    ['sqlite://./y.db', 'Write sqlite:./y.db'],
    ['sqlite://y.db', 'Write sqlite:./y.db'],
    ['sqlite:///srv/y.db', 'Write sqlite:/srv/y.db'],
  ])('given %s, then it is refused, saying the path would start at the root and what to write', (url, advice) => {
    const { code, message } = refusal(url);
    expect(code).toBe('invalid-storage-url');
    expect(message).toContain('the path would start at the filesystem root');
    expect(message).toContain(advice);
    expect(message).toContain('sqlite:/abs/path.db');
  });
});
