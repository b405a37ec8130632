import { describe, expect, it } from 'vitest';
import { readStorageUrl, redactStorageUrl } from './storage-url.ts';

describe('the parameters of a storage URL', () => {
  it.each([
    ['sqlite:./cases.db?verify=full', 'sqlite:./cases.db'],
    ['./cases.db?verify=full', './cases.db'],
    ['memory:?verify=full', 'memory:'],
    ['postgres://misas:secret@db/misas?schema=cpam_22&verify=full&sslmode=require', 'postgres://misas:secret@db/misas?schema=cpam_22&sslmode=require'],
    ['postgresql://db/misas?verify=full', 'postgresql://db/misas'],
    // SQLite's own parameters go on to its adapter, which reads them as strictly (sqlite/storage-url.ts).
    ['sqlite:./cases.db?synchronous=normal&verify=full', 'sqlite:./cases.db?synchronous=normal'],
  ])('takes ?verify=full out of %s', (url, rest) => {
    expect(readStorageUrl(url)).toEqual({ url: rest, parameters: { verify: true } });
  });

  it('leaves a URL without a query, and a PostgreSQL query of its own, as they are', () => {
    expect(readStorageUrl('sqlite:./cases.db')).toEqual({ url: 'sqlite:./cases.db', parameters: { verify: false } });
    const options = 'postgres://db/misas?schema=cpam_22&options=-c%20statement_timeout%3D5s';
    expect(readStorageUrl(options)).toEqual({ url: options, parameters: { verify: false } });
  });

  it.each([
    ['sqlite:./cases.db?verify=yes', "?verify= takes 'full', not 'yes'"],
    ['memory:?verify', "?verify= takes 'full', not ''"],
    ['postgres://db/misas?verify=full&verify=full', 'gives ?verify= twice'],
    ['memory:?synchronous=normal', "Unknown parameter 'synchronous' in the storage URL memory:: it accepts ?verify= only"],
    ['memory:?%E0%A4%A=1', "Unknown parameter ''"],
  ])('refuses %s', (url, message) => {
    expect(() => readStorageUrl(url)).toThrow(expect.objectContaining({ code: 'invalid-storage-url', message: expect.stringContaining(message) as unknown }));
  });
});

describe('redactStorageUrl', () => {
  it.each([
    ['postgres://misas:s3cret@db:5432/misas', 'postgres://misas:***@db:5432/misas'],
    ['postgresql://misas:s3cret@db/misas?schema=sim', 'postgresql://misas:***@db/misas?schema=sim'],
    // Written unencoded, a password may hold what ends the user part of a URL.
    ['postgres://misas:p@ss/w?rd#x@db:5432/misas', 'postgres://misas:***@db:5432/misas'],
    ['postgres://misas@db/misas?password=s3cret&sslmode=require', 'postgres://misas@db/misas?password=***&sslmode=require'],
    ['postgres://db/misas?sslmode=require&PASSWORD=s3cret', 'postgres://db/misas?sslmode=require&PASSWORD=***'],
    ['postgres://misas@db/misas', 'postgres://misas@db/misas'],
    ['sqlite:./misas.db', 'sqlite:./misas.db'],
    ['memory:', 'memory:'],
  ])('%s is printed as %s', (url, printed) => {
    expect(redactStorageUrl(url)).toBe(printed);
  });
});
