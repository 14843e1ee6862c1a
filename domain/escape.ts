/**
 * Control characters other than tab and line feed (escape sequences among them), and the bidirectional overrides that
 * make text read differently than it is stored.
 */
export const CONTROL_CHARACTERS = /(?![\n\t])\p{Cc}|[\u202A-\u202E\u2066-\u2069]/u;
const CONTROL_CHARACTERS_ALL = new RegExp(CONTROL_CHARACTERS.source, 'gu');

/**
 * Text from a brief, a model or a person, made inert inside Markdown: line breaks become spaces, so nothing starts a
 * line (no heading, list or quote), and every character that means something inline is backslash-escaped (CommonMark
 * renders the character itself): no emphasis, code, link, image, autolink, table cell, entity or HTML.
 */
export function markdownText(text: string): string {
  return text
    .replace(CONTROL_CHARACTERS_ALL, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\`*_[\]<>|&!~#]/g, (c) => `\\${c}`);
}

/** Text for a terminal: control characters (escape sequences among them) removed, line breaks flattened. */
export function terminalText(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(CONTROL_CHARACTERS_ALL, '');
}
