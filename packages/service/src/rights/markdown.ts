/**
 * Small helpers to write Markdown that the person can read, whatever the values hold. Values come
 * from people (names, notes), so they are escaped: a note starting with `#` must not become a
 * heading, nor a name with `<` a piece of HTML.
 */

// CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can start markup inline.
const markup = /[\\`*_[\]<>#|~&!]/g;

/** A value as inline text: markup escaped, line breaks turned into spaces. */
export function inline(value: string): string {
  return value.replace(/\r\n?|\n/g, ' ').replace(markup, (character) => `\\${character}`);
}

/** A free text (a note) as a quote, line by line, each line escaped. */
export function quote(text: string): string {
  return text
    .split(/\r\n?|\n/)
    .map((line) => (line.trim() === '' ? '>' : `> ${inline(line)}`))
    .join('\n');
}

/** A code of the vocabulary in words: `rights-access` → `rights access`. */
export function words(code: string): string {
  return inline(code.replace(/-/g, ' '));
}

/** A list of codes in words, or `none`. */
export function wordList(codes: readonly string[]): string {
  return codes.length === 0 ? 'none' : codes.map(words).join(', ');
}

/** An instant as a day and a time, in UTC: `2026-01-05 09:00 UTC`. */
export function when(instant: string): string {
  return `${instant.slice(0, 10)} ${instant.slice(11, 16)} UTC`;
}

/** A bulleted list, or a sentence saying it is empty. */
export function bullets(items: readonly string[], empty: string): string {
  return items.length === 0 ? empty : items.map((item) => `- ${item}`).join('\n');
}
