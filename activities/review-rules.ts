import type { ClaimCount, Research, ReviewFinding, Variant } from '../domain/campaign';
import { CHANNEL_LIMITS } from '../domain/channels';
import type { KnowledgeBase } from '../domain/knowledge';
import { findPii } from './privacy/pii';

// One token per figure, so a date (01.12.2026) or a grouped number (1.000.000) is checked whole.
const NUMBER = /\d+(?:[.,]\d+)*/g;
// Markup that a channel or a Markdown page could act on: HTML tags and entities, Markdown links and images,
// script URLs and inline event handlers. Copy is plain text; any of these is an injection or a mistake.
const MARKUP =
  /<\s*\/?\s*[a-z!][^>]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);|!?\[[^\]]*\]\([^)]*\)|\b(?:javascript|data|vbscript):|\bon[a-z]+\s*=/i;
// Comparisons and superlatives in German and English: each must be stated by a cited fact, or it is an invented claim.
const COMPARISON =
  /(?<![\p{L}\p{N}_])(?:\p{L}+er als|mehr als|weniger als|günstiger|billiger|besser|schneller|[\p{L}]+er than|more than|less than|cheaper|better|faster)(?![\p{L}\p{N}_])/giu;
const SUPERLATIVE =
  /(?<![\p{L}\p{N}_])(?:am \p{L}+sten|beste[nmrs]?|günstigste[nmrs]?|billigste[nmrs]?|größte[nmrs]?|meiste[nmrs]?|schnellste[nmrs]?|stärkste[nmrs]?|best|cheapest|greatest|lowest|fastest|largest|biggest|most)(?![\p{L}\p{N}_])/giu;

/** One checkable claim in a variant: a figure, a comparison or a superlative, and whether a cited fact states it. */
export interface Claim {
  kind: 'number' | 'comparison' | 'superlative';
  text: string;
  grounded: boolean;
}

/** Finds every claim in a variant and checks it against the text of the facts the variant cites. */
export function claimsOf(variant: Variant, research: Research, kb: KnowledgeBase): Claim[] {
  const cited = research.facts.filter((f) => variant.factIds.includes(f.id));
  const support = cited.map((f) => `${f.text} ${f.claim}`).join(' ');
  const copy = `${variant.headline}\n${variant.body}`;
  const text = kb.requiredDisclaimer ? copy.replace(kb.requiredDisclaimer, '') : copy;
  const found = (pattern: RegExp) => [...new Set([...text.matchAll(pattern)].map((m) => m[0]))];
  return [
    ...found(NUMBER).map((n) => ({ kind: 'number' as const, text: n, grounded: statesNumber(support, n) })),
    ...found(COMPARISON).map((c) => ({ kind: 'comparison' as const, text: c, grounded: statesWords(support, c) })),
    ...found(SUPERLATIVE).map((s) => ({ kind: 'superlative' as const, text: s, grounded: statesWords(support, s) })),
  ];
}

/** Whether `support` states the number itself: "2,9" is not in "32,9", nor "90" in "11,90", nor "2" in "12". */
export function statesNumber(support: string, number: string): boolean {
  return new RegExp(`(?<!\\d|\\d[.,])${escapeRegExp(number)}(?!\\d|[.,]\\d)`).test(support);
}

/** Whether `support` contains the words as whole words, ignoring case. */
function statesWords(support: string, words: string): boolean {
  return new RegExp(`(?<!\\p{L})${escapeRegExp(words)}(?!\\p{L})`, 'iu').test(support);
}

/** How many claims a set of variants makes and how many are grounded in cited facts. */
export function countClaims(variants: Variant[], research: Research, kb: KnowledgeBase): ClaimCount {
  const claims = variants.flatMap((v) => claimsOf(v, research, kb));
  return { total: claims.length, grounded: claims.filter((c) => c.grounded).length };
}

/** Every automated check on one variant; each finding names the variant, the rule and what broke it. */
export function reviewVariant(variant: Variant, research: Research, kb: KnowledgeBase): ReviewFinding[] {
  const findings: ReviewFinding[] = [];
  const add = (kind: ReviewFinding['kind'], detail: string) =>
    findings.push({ variantId: variant.id, kind, blocking: true, detail });
  const text = `${variant.headline}\n${variant.body}`;

  for (const [field, limit] of Object.entries(CHANNEL_LIMITS[variant.channel])) {
    const length = field === 'headline' ? variant.headline.length : variant.body.length;
    if (length > limit) add('channel-limit', `${field} has ${length} characters; ${variant.channel} allows ${limit}`);
  }
  const unknown = variant.factIds.filter((id) => !research.facts.some((f) => f.id === id));
  if (variant.factIds.length === 0) add('missing-citation', 'cites no fact');
  if (unknown.length > 0) add('missing-citation', `cites facts that research did not return: ${unknown.join(', ')}`);
  for (const claim of claimsOf(variant, research, kb)) {
    if (claim.grounded) continue;
    if (claim.kind === 'number') add('unsupported-number', `"${claim.text}" appears in no cited fact`);
    else add('unsupported-comparison', `"${claim.text}" is a ${claim.kind} no cited fact supports`);
  }
  const lower = text.toLowerCase();
  for (const phrase of kb.bannedPhrases) {
    if (new RegExp(`(^|[^\\p{L}])${escapeRegExp(phrase.toLowerCase())}($|[^\\p{L}])`, 'u').test(lower)) {
      add('banned-phrase', `"${phrase}" is not allowed for this brand`);
    }
  }
  if (variant.channel === 'email' && kb.requiredDisclaimer && !variant.body.includes(kb.requiredDisclaimer)) {
    add('missing-disclaimer', 'the email lacks the required price disclaimer');
  }
  const personal = [...new Set(findPii(text).map((m) => m.type))];
  if (personal.length > 0) add('pii', `contains personal data (${personal.join(', ')})`);
  const markup = MARKUP.exec(text)?.[0];
  if (markup)
    add('markup', `contains markup or a script (${JSON.stringify(markup.slice(0, 40))}); copy must be plain text`);
  return findings;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
