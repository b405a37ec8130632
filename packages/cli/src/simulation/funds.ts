/**
 * A simulation over several funds, as a national deployment runs: each fund (a CPAM) its own
 * store, its own writer, its own clock. Which funds, how the referrals split between them, each
 * fund's seed, and where each fund's store is.
 */
import { MisasError } from '@misas/core';

const departments = [
  ...Array.from({ length: 19 }, (_, i) => String(i + 1).padStart(2, '0')),
  '2a',
  '2b',
  ...Array.from({ length: 75 }, (_, i) => String(i + 21)),
];

/**
 * The funds of a national year: a CPAM per department of metropolitan France (Corsica's two) and
 * the overseas funds (CGSS of Guadeloupe, Martinique, Guyane, La Réunion; CSSM of Mayotte), 101 in
 * all. CPAM 22 comes first (the seeds' fund, and `misas simulate`'s only one by default); the rest
 * in department order.
 */
export const nationalFundIds: readonly string[] = [
  'cpam-22',
  ...departments.filter((department) => department !== '22').map((department) => `cpam-${department}`),
  'cgss-971',
  'cgss-972',
  'cgss-973',
  'cgss-974',
  'cssm-976',
];

/**
 * The first `count` funds of {@link nationalFundIds}.
 * @throws MisasError `invalid-funds` when `count` is not between 1 and the number of funds
 */
export function fundsOf(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > nationalFundIds.length) {
    throw new MisasError('invalid-funds', `--funds must be between 1 and ${nationalFundIds.length}, the funds of a national year`);
  }
  return nationalFundIds.slice(0, count);
}

/** How many referrals each fund gets: an even split, the first funds taking one more when it does not divide. */
export function fundShares(cases: number, funds: number): number[] {
  return Array.from({ length: funds }, (_, i) => Math.floor(cases / funds) + (i < cases % funds ? 1 : 0));
}

/**
 * The seed of one fund's plan and ids: the run's seed and the fund's id, hashed (FNV-1a). It does
 * not depend on the other funds, nor on the thread that plays the fund, so a fund's year is the
 * same whatever the number of workers.
 */
export function fundSeed(seed: number, fundId: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}/${fundId}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Which worker plays each fund: round robin in the order of the funds. */
export function assignFunds<T>(funds: readonly T[], workers: number): T[][] {
  const parts: T[][] = Array.from({ length: Math.max(1, Math.min(workers, funds.length)) }, () => []);
  funds.forEach((fund, i) => parts[i % parts.length]?.push(fund));
  return parts;
}

/**
 * Where one fund's store is, from the URL the run was given:
 * - a SQLite file `DIR/NAME.db` → `DIR/NAME.FUND.db` beside it (`misas-simulation.cpam-29.db`);
 * - PostgreSQL → the schema `SCHEMA_FUND` (`sim` → `sim_cpam_29`; `misas` when none is named);
 * - `memory:` and `sqlite::memory:` → a store of its own in the thread that plays the fund.
 */
export function fundStorageUrl(url: string, fundId: string): string {
  if (url === 'memory:' || url === 'sqlite::memory:') return url;
  if (/^postgres(ql)?:\/\//.test(url)) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? 'misas';
    parsed.searchParams.set('schema', `${schema}_${fundId.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`);
    return parsed.toString();
  }
  const scheme = url.startsWith('sqlite:') ? 'sqlite:' : '';
  const path = url.slice(scheme.length);
  const dot = path.lastIndexOf('.');
  const slash = path.lastIndexOf('/');
  const stem = dot > slash + 1 ? path.slice(0, dot) : path;
  const extension = dot > slash + 1 ? path.slice(dot) : '.db';
  return `${scheme}${stem}.${fundId}${extension}`;
}
