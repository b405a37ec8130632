/**
 * The parameters `openStorage` reads from a storage URL's query, taken out before the URL reaches
 * its adapter. Parsing is strict: a parameter given twice, or a value it does not know, is refused
 * rather than ignored. The others go on to the adapter, which reads them as strictly (SQLite's
 * `synchronous`) or hands them to its driver (PostgreSQL's); `memory:` takes no other.
 */
import { MisasError } from '@misas/core';

/** What a storage URL's query asks of `openStorage`. */
export interface StorageUrlParameters {
  /** `?verify=full`: every read runs the full schemas (verify mode). */
  readonly verify: boolean;
}

/** The parameters this module reads, with the values each accepts. */
const known: Readonly<Record<string, readonly string[]>> = { verify: ['full'] };

/** A percent-decoded piece of the query, or `undefined` when its encoding is malformed. */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * A storage URL fit for messages and logs: a PostgreSQL password is masked (`//user:***@`).
 * The CLI prints stores through it too.
 */
export function redactStorageUrl(url: string): string {
  return (
    url
      // Up to the last `@`: a password written unencoded may hold `@`, `/`, `?` or `#` itself, and
      // masking a little too much (a query with an `@`) is better than printing part of it.
      .replace(/([a-z][a-z0-9+.-]*:\/\/[^:@/]*):.*@/is, '$1:***@')
      // libpq and pg also read a password from the query string.
      .replace(/([?&]password=)[^&#]*/gi, '$1***')
  );
}

/**
 * Splits `url` into the URL its adapter receives and the parameters `openStorage` reads. The other
 * pieces of a PostgreSQL URL's query (`schema`, `sslmode`…) are kept byte for byte, for the driver.
 * @throws MisasError `invalid-storage-url` for a value not accepted, a parameter given twice, or
 *   (`memory:`) any parameter but these
 */
export function readStorageUrl(url: string): { readonly url: string; readonly parameters: StorageUrlParameters } {
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return { url, parameters: { verify: false } };
  // PostgreSQL's other parameters are the driver's, and SQLite's (a `sqlite:` URL or a bare path)
  // are read as strictly by its adapter (`parseSqliteUrl`); an unknown scheme is refused by
  // `openStorage` as such. Only `memory:` takes nothing else.
  const passesOthersOn = !url.startsWith('memory:');
  const kept: string[] = [];
  const seen = new Map<string, string>();
  for (const piece of url.slice(queryAt + 1).split('&')) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const name = decoded(equals === -1 ? piece : piece.slice(0, equals)) ?? '';
    // Own keys only: `constructor` is not a parameter.
    const accepted = Object.hasOwn(known, name) ? known[name] : undefined;
    if (accepted === undefined) {
      if (passesOthersOn) {
        kept.push(piece);
        continue;
      }
      throw new MisasError('invalid-storage-url', `Unknown parameter '${name.slice(0, 40)}' in the storage URL ${redactStorageUrl(url.slice(0, queryAt))}: it accepts ${Object.keys(known).map((key) => `?${key}=`).join(', ')} only`);
    }
    const value = equals === -1 ? '' : (decoded(piece.slice(equals + 1)) ?? '(malformed)');
    if (seen.has(name)) throw new MisasError('invalid-storage-url', `The storage URL gives ?${name}= twice`);
    if (!accepted.includes(value)) {
      throw new MisasError('invalid-storage-url', `?${name}= takes ${accepted.map((one) => `'${one}'`).join(' or ')}, not '${value.slice(0, 40)}'`);
    }
    seen.set(name, value);
  }
  const base = url.slice(0, queryAt);
  return { url: kept.length === 0 ? base : `${base}?${kept.join('&')}`, parameters: { verify: seen.get('verify') === 'full' } };
}
