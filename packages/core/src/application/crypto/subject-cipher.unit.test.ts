import { describe, expect, it } from 'vitest';
import { entryContext, newSubjectKey, openEntry, sealEntry } from './subject-cipher.ts';

describe('subject cipher', () => {
  it('round-trips and never leaves the plaintext in the sealed bytes', () => {
    const key = newSubjectKey();
    const sealed = sealEntry(key, 'NIR 189047512345655', entryContext('s', 'referral'));
    expect(sealed.toString('latin1')).not.toContain('189047512345655');
    expect(openEntry(key, sealed, entryContext('s', 'referral'))).toBe('NIR 189047512345655');
  });

  it('refuses another key, or the same bytes under another subject or entry', () => {
    const key = newSubjectKey();
    const sealed = sealEntry(key, 'secret', entryContext('s', 'referral'));
    expect(() => openEntry(newSubjectKey(), sealed, entryContext('s', 'referral'))).toThrow();
    expect(() => openEntry(key, sealed, entryContext('t', 'referral'))).toThrow();
    expect(() => openEntry(key, sealed, entryContext('s', 'note:1'))).toThrow();
  });
});
