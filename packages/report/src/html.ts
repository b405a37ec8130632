/**
 * Escaping for the report page. Every string that reaches the HTML goes through one of these:
 * the register holds codes and ids only, but a fund id or a counsellor id is free text.
 */

const entities: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

/**
 * Script text for the inside of a `<script>` element, which HTML does not unescape: a closing
 * `</script` (any case) would end it, and `<!--` could make the parser swallow what follows. Both
 * become `\x3C…`, which means `<` alike in a JavaScript string, template or regular expression —
 * the only places they occur in a bundle.
 */
export function escapeScriptText(text: string): string {
  return text.replace(/<(\/script|!--)/gi, '\\x3C$1');
}
