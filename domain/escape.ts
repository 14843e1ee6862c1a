/**
 * Control characters other than tab and line feed (escape sequences among them), and the bidirectional overrides that
 * make text read differently than it is stored.
 */
export const CONTROL_CHARACTERS = /(?![\n\t])\p{Cc}|[\u202A-\u202E\u2066-\u2069]/u;
const CONTROL_CHARACTERS_ALL = new RegExp(CONTROL_CHARACTERS.source, 'gu');

/**
 * Text from a brief, a model or a person, made inert inside Markdown: every character Markdown or HTML gives a meaning
 * is backslash-escaped (CommonMark renders the character itself; HTML never starts), and line breaks become spaces, so copy can neither fake a heading, a link, an image or a table cell, nor
 * run HTML, in what an approver reads.
 */
export function markdownText(text: string): string {
  return text
    .replace(CONTROL_CHARACTERS_ALL, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|~"'<>&]/g, (c) => `\\${c}`);
}

/** Text for a terminal: control characters (escape sequences among them) removed, line breaks flattened. */
export function terminalText(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(CONTROL_CHARACTERS_ALL, '');
}
