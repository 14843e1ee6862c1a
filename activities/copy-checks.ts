import type { Brief } from '../domain/brief';
import type { ReviewFinding, Variant } from '../domain/campaign';
import type { ReviewInput } from '../domain/step-inputs';
import { injectionReasons } from './privacy/injection';

// What marketing checks across a campaign's copy, beyond each variant's own rules: that it is in the brief's language,
// that every key message is carried, and that the channels do not all say the same headline.

const LANGUAGE_NAME: Record<string, string> = {
  de: 'German',
  en: 'English',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  pl: 'Polish',
  tr: 'Turkish',
};
const WORDS_NEEDED = 4;

/** Words that say nothing about a message (articles, prepositions, conjunctions), German and English. */
const FILLER = new Set(
  'der die das den dem des ein eine einen einem und oder mit für von aus bei beim zum zur auf ins im in an am the a an and or with for from of to at on by is are ist sind wird werden ihr ihre your our unser unsere sie'.split(
    ' ',
  ),
);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2 && !FILLER.has(w));
}

/** A word's stem as far as matching goes: its first six letters ("Preisgarantie", "Preisgarantien"). */
const stem = (word: string) => word.slice(0, 6);

/** ELD's detector; its n-gram models (about 180 MiB in memory) are loaded by the first review, not at start. */
let detector: typeof import('eld/medium')['eld'] | undefined;

/**
 * Loads the language models the reviewer reads copy with, once per process: a worker that runs no reviews (the
 * workflows, publish and data roles) never holds them.
 */
export async function loadLanguageModels(): Promise<void> {
  detector ??= (await import('eld/medium')).eld;
}

/** The language `text` reads as, when it reads reliably as another than `expected` (ELD, n-gram models). */
export function otherLanguage(text: string, expected: Brief['language'], names: readonly string[] = []): string | null {
  let plain = text;
  // Brand and product names are in no language: they would make English copy about a German product read German.
  for (const name of names) plain = plain.split(name).join(' ');
  if (words(plain).length < WORDS_NEEDED) return null;
  if (!detector) throw new Error('the language models are not loaded: await loadLanguageModels() first');
  const found = detector.detect(plain);
  if (!found.language || found.language === expected || !found.isReliable()) return null;
  return LANGUAGE_NAME[found.language] ?? found.language;
}

/**
 * Whether `message` is carried by `text`: every meaningful word (by stem) of a message of two, at least half of a
 * longer one's, appear in it; one common word alone carries no two-word message.
 */
export function carries(text: string, message: string): boolean {
  const wanted = [...new Set(words(message).map(stem))];
  if (wanted.length === 0) return true;
  const present = new Set(words(text).map(stem));
  const found = wanted.filter((w) => present.has(w)).length;
  return wanted.length <= 2 ? found === wanted.length : found * 2 >= wanted.length;
}

/** The blocking findings of a campaign's variants taken together; each names itself. */
export function campaignFindings(
  brief: Brief,
  variants: Variant[],
  names: readonly string[],
  /** The approver's change request: a key message it names, to leave out, is not missed. */
  changeRequest?: { feedback: string },
): ReviewFinding[] {
  const findings: ReviewFinding[] = [];
  const add = (variantId: string, kind: ReviewFinding['kind'], detail: string) =>
    findings.push({ variantId, kind, blocking: true, detail });
  const wanted = brief.language === 'de' ? 'German' : 'English';
  for (const v of variants) {
    const reads = otherLanguage(`${v.headline}. ${v.body}`, brief.language, names);
    if (reads) add(v.id, 'language', `reads as ${reads}; the brief asks for ${wanted}`);
  }
  const all = variants.map((v) => `${v.headline} ${v.body}`).join('\n');
  // A key message that reads as an instruction to the models is no message to carry (it is reported as an injection).
  const askedToDrop = (m: string) => changeRequest?.feedback.toLowerCase().includes(m.toLowerCase()) ?? false;
  for (const message of brief.keyMessages.filter((m) => injectionReasons(m).length === 0 && !askedToDrop(m))) {
    if (!carries(all, message)) add('campaign', 'key-message', `no variant carries the key message "${message}"`);
  }
  const byHeadline = new Map<string, Variant[]>();
  for (const v of variants) {
    const key = v.headline
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    byHeadline.set(key, [...(byHeadline.get(key) ?? []), v]);
  }
  for (const same of byHeadline.values()) {
    if (same.length > 1 && new Set(same.map((v) => v.channel)).size > 1) {
      add(
        same.map((v) => v.id).join(', '),
        'variety',
        `${same.map((v) => v.channel).join(', ')} share the headline "${same[0]?.headline}"; each channel needs its own`,
      );
    }
  }
  return findings;
}

/**
 * Whether the copy answers the change request it was written for: copy identical to what the approver sent back is
 * a blocking finding; a channel left as it was is a note (the request may have been about another channel).
 */
export function changeFindings(
  variants: Variant[],
  request: NonNullable<ReviewInput['changeRequest']>,
): ReviewFinding[] {
  const same = variants.filter((v) =>
    request.variants.some((b) => b.channel === v.channel && b.headline === v.headline && b.body === v.body),
  );
  if (same.length === 0) return [];
  if (same.length === variants.length) {
    return [
      {
        variantId: 'campaign',
        kind: 'unchanged',
        blocking: true,
        detail: `the copy is the same as the round ${request.by} sent back with "${request.feedback}"`,
      },
    ];
  }
  return same.map((v) => ({
    variantId: v.id,
    kind: 'unchanged' as const,
    blocking: false,
    detail: `${v.channel} is as it was when ${request.by} asked "${request.feedback}"`,
  }));
}
