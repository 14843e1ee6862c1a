import { isValidIBAN } from 'ibantools';
import { findPhoneNumbersInText } from 'libphonenumber-js';
import { euVat, stdnum } from 'stdnum';

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

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
const VAT_CANDIDATE =
  /\b(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK) ?([0-9A-Z]{8,12})\b/g;
const TAX_ID_CANDIDATE = /(?<![\d.,/-])\d{2} ?\d{3} ?\d{3} ?\d{3}(?!\d|[.,/-]\d)/g;
const STREET_WORD = '(?:straße|strasse|str\\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|pfad|steig|markt)';
const STREET =
  `(?:[A-ZÄÖÜ][a-zäöüß]+(?:[- ][A-ZÄÖÜ]?[a-zäöüß]+)*(?:${STREET_WORD}|[- ](?:Straße|Strasse|Str\\.|Weg|Gasse|Allee|Platz|Ring|Damm|Ufer|Chaussee|Pfad|Steig|Markt))` +
  '|(?:Am|An der|An den|Im|In der|Auf der|Zum|Zur|Unter den) [A-ZÄÖÜ][a-zäöüß]+(?:[- ][A-ZÄÖÜ][a-zäöüß]+)*)';
const GERMAN_ADDRESS = new RegExp(
  `${STREET} \\d{1,4}[a-z]?(?: ?[-/] ?\\d{1,4}[a-z]?)?,? (?:D-)?\\d{5} [A-ZÄÖÜ][\\wäöüß.-]+(?: (?:an der|am|im|bei) [A-ZÄÖÜ][\\wäöüß.-]+)?`,
  'g',
);
const ENGLISH_ADDRESS =
  /\b\d{1,5}[A-Z]? [A-Z][a-z]+(?: [A-Z][a-z]+)* (?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Ln\.|Drive|Dr\.|Way|Parkway|Boulevard|Blvd\.|Place|Square|Court|Loop|Terrace|Highway|Hwy\.)(?:,? (?:[A-Z][a-z]+ ?)+)?,? (?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]{2} \d{5}(?:-\d{4})?)\b/g;
const SALUTATION_NAME =
  /\b(?:Herrn?|Frau|Dr\.|Prof\.|Mr\.?|Mrs\.?|Ms\.?|Miss|Dear)(?: (?:Dr\.|Prof\.))? ((?:(?:von|van|de|zu) )?[A-ZÄÖÜ][a-zäöüß'-]+(?: (?:von |van |de )?[A-ZÄÖÜ][a-zäöüß'-]+)?)/g;
// A date such as 01.12.2026, which phone parsing would take for a number with a trunk zero.
const DATE = /^\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})$/;
// Words before a number that say it is a reference, not a phone number.
const REFERENCE_CONTEXT =
  /(?:nr\.?|nummer|no\.?|bestell\w*|rechnung\w*|kunden\w*|artikel\w*|auftrag\w*|order|invoice|ref\.?|vorgang\w*|#)\s*:?\s*$/i;

/** The German tax id (IdNr) validator of `stdnum`: eleven digits and the ISO 7064 check digit. */
const TAX_ID = stdnum.DE?.idnr;

/** Every piece of personal data in `text`, found in an order that lets the most specific kind claim a span first. */
export function findPii(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  const free = (start: number, end: number) => !found.some((m) => start < m.end && end > m.start);
  const add = (type: PiiType, start: number, end: number) => {
    if (free(start, end)) found.push({ type, start, end });
  };
  for (const m of text.matchAll(EMAIL)) add('email', m.index, m.index + m[0].length);
  for (const m of text.matchAll(IBAN_CANDIDATE)) {
    if (isValidIBAN(m[0].replace(/ /g, ''))) add('iban', m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(VAT_CANDIDATE)) {
    const country = m[1] === 'EL' ? 'GR' : (m[1] ?? '');
    const validators = euVat[country] ?? [];
    if (validators.some((v) => v.validate(`${m[1]}${m[2]}`).isValid)) add('vatId', m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(TAX_ID_CANDIDATE)) {
    if (TAX_ID?.validate(m[0].replace(/ /g, '')).isValid) add('taxId', m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(GERMAN_ADDRESS)) add('address', m.index, m.index + m[0].length);
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
  return found.sort((a, b) => a.start - b.start);
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
