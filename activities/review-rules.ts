import type { Research, ReviewFinding, Variant } from '../domain/campaign';
import { CHANNEL_LIMITS } from '../domain/channels';
import type { KnowledgeBase } from '../domain/knowledge';

const NUMBER = /\d+(?:[.,]\d+)?/g;
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;
const PHONE = /(?:\+|\b0)\d[\d ()/-]{6,}\d/;

/** Every automated check on one variant; each finding names the variant, the rule and what broke it. */
export function reviewVariant(variant: Variant, research: Research, kb: KnowledgeBase): ReviewFinding[] {
  const findings: ReviewFinding[] = [];
  const add = (kind: ReviewFinding['kind'], detail: string, blocking = true) =>
    findings.push({ variantId: variant.id, kind, blocking, detail });
  const text = `${variant.headline}\n${variant.body}`;

  for (const [field, limit] of Object.entries(CHANNEL_LIMITS[variant.channel])) {
    const length = field === 'headline' ? variant.headline.length : variant.body.length;
    if (length > limit) add('channel-limit', `${field} has ${length} characters; ${variant.channel} allows ${limit}`);
  }
  const cited = research.facts.filter((f) => variant.factIds.includes(f.id));
  const unknown = variant.factIds.filter((id) => !research.facts.some((f) => f.id === id));
  if (variant.factIds.length === 0) add('missing-citation', 'cites no fact');
  if (unknown.length > 0) add('missing-citation', `cites facts that research did not return: ${unknown.join(', ')}`);
  const support = cited.map((f) => `${f.text} ${f.claim}`).join(' ');
  const claims = kb.requiredDisclaimer ? text.replace(kb.requiredDisclaimer, '') : text;
  for (const number of new Set(claims.match(NUMBER) ?? [])) {
    if (!support.includes(number)) add('unsupported-number', `"${number}" appears in no cited fact`);
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
  if (EMAIL.test(text) || PHONE.test(text)) add('pii', 'contains an e-mail address or phone number');
  return findings;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
