import { describe, expect, it } from 'vitest';
import { loadNodeSqlite, minimumNodeVersion, nodeVersionAtLeast, UnsupportedRuntimeError } from './runtime.ts';

describe('the Node.js floor of the SQLite store', () => {
  it('is 22.16.0, where DatabaseSync.isTransaction appears', () => {
    expect(minimumNodeVersion).toBe('22.16.0');
  });

  it.each([
    ['22.16.0', true],
    ['v22.16.0', true],
    ['22.16.1', true],
    ['22.17.0', true],
    ['23.0.0', true],
    ['24.9.0', true],
    ['22.15.1', false],
    ['22.13.0', false],
    ['20.19.5', false],
    ['18.20.0', false],
  ])('Node.js %s is at least the floor: %s', (version, enough) => {
    expect(nodeVersionAtLeast(version)).toBe(enough);
  });

  it('refuses an older runtime in one line naming the version needed and the one running', () => {
    const load = () => loadNodeSqlite('22.15.1');
    expect(load).toThrow(UnsupportedRuntimeError);
    expect(load).toThrow(/^the SQLite store needs Node\.js >= 22\.16\.0 .*; this is Node\.js 22\.15\.1: [^\n]+$/);
    expect(load).toThrow(expect.objectContaining({ code: 'unsupported-runtime' }));
  });

  it('loads node:sqlite on a supported runtime, with the transaction flag the stores rely on', () => {
    const sqlite = loadNodeSqlite();
    const db = new sqlite.DatabaseSync(':memory:');
    try {
      expect(db.isTransaction).toBe(false);
      db.exec('BEGIN');
      expect(db.isTransaction).toBe(true);
    } finally {
      db.close();
    }
  });
});
