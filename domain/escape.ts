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

/** Text as a Markdown code span: backslashes show as they are there, so no escaping, only no backtick or line break. */
export function codeSpan(text: string): string {
  return `\`${text.replace(CONTROL_CHARACTERS_ALL, '').replace(/[\r\n\t`]+/g, ' ')}\``;
}

/**
 * Multi-line text for Markdown, line by line: each line escaped as {@link markdownText}, a leading character that
 * would start a list, a heading underline or a numbered item escaped too, and lines that start with "- " or "• "
 * shown as list items. Copy keeps its line breaks and bullets, and still cannot forge structure.
 */
export function markdownLines(text: string): string {
  return text
    .replace(CONTROL_CHARACTERS_ALL, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const bullet = /^[-•*]\s+(.*)$/.exec(line);
      if (bullet) return `- ${markdownText(bullet[1] ?? '').replace(/^([-+=]|\d+[.)])/, '\\$1')}`;
      return markdownText(line).replace(/^([-+=]|\d+[.)])/, '\\$1');
    })
    .join('  \n');
}

/** Text for a terminal: control characters (escape sequences among them) removed, line breaks flattened. */
export function terminalText(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(CONTROL_CHARACTERS_ALL, '');
}

/** `text` safe inside HTML text and attribute values. */
export function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
