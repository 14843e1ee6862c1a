import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Faker, fakerDE, fakerDE_AT, fakerEN_GB, fakerFR, fakerIT, fakerPL, fakerTR } from '@faker-js/faker';
import { stringify } from 'yaml';
import { PROJECT_ROOT } from '../config/paths';

// A labelled set of personal data in the sentences marketing briefs hold (testimonials, quotes, contact lines, CRM
// notes), generated from a kept data library's names, streets and cities (@faker-js/faker, seeded), apart from the
// detectors and their word lists; with traps that hold none: prices, dates, tariff names, the brand's own address,
// postcodes of a target region. `npm run pii-set` writes test/fixtures/pii-generated.yaml; the test measures on it.

type Kind = 'email' | 'phone' | 'iban' | 'vatId' | 'address' | 'name';
interface Row {
  text: string;
  pii?: Partial<Record<Kind, number>>;
  note: string;
}

const locales: Faker[] = [fakerDE, fakerDE, fakerDE, fakerDE_AT, fakerTR, fakerPL, fakerIT, fakerFR, fakerEN_GB];
// `npm run pii-set -- SEED FILE`: another seed gives other people, streets and forms (a held-out table).
const [seedArg, fileArg] = process.argv.slice(2);
const seed = Number(seedArg ?? 1900);
for (const [i, f] of locales.entries()) f.seed(seed + i);
const de = fakerDE;
const pick = <T>(items: readonly T[]): T => items[de.number.int({ min: 0, max: items.length - 1 })] as T;
const person = () => {
  const f = pick(locales);
  const sex = pick(['female', 'male'] as const);
  let first = f.person.firstName(sex);
  let last = f.person.lastName(sex);
  if (de.number.int(9) === 0) first = `${first}-${f.person.firstName(sex)}`;
  if (de.number.int(7) === 0) last = `${last}-${de.person.lastName()}`;
  return { first, last, sex };
};
const street = () => `${de.location.street()} ${de.location.buildingNumber()}`;
const city = () => de.location.city();
const local = (p: { first: string; last: string }) =>
  `${p.first}.${p.last}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z.]/g, '');
const domain = () => pick(['example', 'beispiel', 'mail-test', 'posteo-test', 'webmail-demo']);

const rows: Row[] = [];
const add = (text: string, pii: Row['pii'], note: string) => rows.push({ text, ...(pii ? { pii } : {}), note });

for (let i = 0; i < 60; i++) {
  const p = person();
  const quote = pick(['Der Wechsel war ganz einfach.', 'Endlich Ökostrom aus der Region!', 'Top Beratung am Telefon.']);
  const templates: [string, string][] = [
    [`„${quote}“, sagt ${p.first} ${p.last} aus ${city()}.`, 'testimonial'],
    [`${p.first} ${p.last} aus ${city()} ist begeistert: ${quote}`, 'testimonial'],
    [`Kundenstimme von ${p.first} ${p.last}: ${quote}`, 'quote'],
    [`${quote} – ${p.first} ${p.last}, Kundin seit ${de.number.int({ min: 2005, max: 2024 })}`, 'attribution'],
    [`Ansprechpartner: ${p.first} ${p.last}`, 'contact line'],
    [`Rückruf erbeten von ${p.first} ${p.last}, bitte heute noch.`, 'CRM note'],
    [`Notiz: ${p.first} ${p.last} möchte den Tarif wechseln.`, 'CRM note'],
  ];
  const [text, note] = pick(templates);
  add(text, { name: 1 }, `name, ${note}`);
}
for (let i = 0; i < 25; i++) {
  const p = person();
  const templates: [string, string][] = [
    [`„Sehr zufrieden“ – ${p.first[0]}. ${p.last}, ${city()}`, 'initial and last name'],
    [`${p.first} ${p.last[0]}. aus ${city()} empfiehlt uns weiter.`, 'first name and initial'],
    [`${pick(['Frau', 'Herr', 'Dr.'])} ${p.last} hat angerufen.`, 'salutation'],
  ];
  const [text, note] = pick(templates);
  add(text, { name: 1 }, `name, ${note}`);
}
for (let i = 0; i < 30; i++) {
  const p = person();
  const s = street();
  const templates: [string, Row['pii'], string][] = [
    [`${p.first} ${p.last} wohnt in der ${s} in ${city()}.`, { name: 1, address: 1 }, 'address without postcode'],
    [`Lieferadresse: ${s}, ${de.location.zipCode()} ${city()}`, { address: 1 }, 'address with postcode'],
    [`Bitte den Zähler in der ${s} ablesen.`, { address: 1 }, 'address without postcode'],
  ];
  const [text, pii, note] = pick(templates);
  add(text, pii, note);
}
for (let i = 0; i < 40; i++) {
  const p = person();
  const user = local(p);
  const d = domain();
  const forms: [string, string][] = [
    [`${user}@${d}.de`, 'plain'],
    [`${user} at ${d} dot de`, 'at and dot in words'],
    [`${user}(at)${d}.de`, '(at)'],
    [`${user} [at] ${d} [dot] de`, '[at] and [dot]'],
    [`${user}＠${d}.de`, 'full-width at sign'],
    [`${user.slice(0, 3)}\u200b${user.slice(3)}@${d}.de`, 'zero-width space'],
    [`${user}@${d}\u00ad.de`, 'soft hyphen'],
  ];
  const [address, note] = pick(forms);
  add(`Kontakt für Rückfragen: ${address}`, { email: 1 }, `e-mail, ${note}`);
}
for (let i = 0; i < 30; i++) {
  const iban = de.finance.iban({ formatted: false, countryCode: 'DE' });
  const forms: [string, string][] = [
    [iban, 'compact'],
    [iban.replace(/(.{4})/g, '$1 ').trim(), 'spaced'],
    [iban.toLowerCase(), 'lower case'],
    [iban.replace(/(.{4})/g, '$1-').replace(/-$/, ''), 'dashes'],
    [
      iban
        .toLowerCase()
        .replace(/(.{4})/g, '$1 ')
        .trim(),
      'lower case, spaced',
    ],
  ];
  const [written, note] = pick(forms);
  add(`Abbuchung bitte von ${written}.`, { iban: 1 }, `IBAN, ${note}`);
}
/** A German VAT id with its ISO 7064 MOD 11,10 check digit. */
function germanVat(): string {
  const digits = Array.from({ length: 8 }, (_, k) => (k === 0 ? de.number.int({ min: 1, max: 9 }) : de.number.int(9)));
  let product = 10;
  for (const digit of digits) {
    let sum = (digit + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  const check = (11 - product) % 10;
  return `DE${digits.join('')}${check}`;
}
for (let i = 0; i < 25; i++) {
  const vat = germanVat();
  const forms: [string, string][] = [
    [vat, 'compact'],
    [`DE ${vat.slice(2, 5)} ${vat.slice(5, 8)} ${vat.slice(8)}`, 'spaced in threes'],
    [`DE ${vat.slice(2)}`, 'space after the country'],
    [vat.toLowerCase(), 'lower case'],
  ];
  const [written, note] = pick(forms);
  add(`USt-IdNr. des Partners: ${written}`, { vatId: 1 }, `VAT id, ${note}`);
}
for (let i = 0; i < 25; i++) {
  const n = de.string.numeric(7);
  const forms: [string, string][] = [
    [`0351 ${n}`, 'area code'],
    [`+49 351 ${n}`, 'international'],
    [`(0351) ${n.slice(0, 3)}-${n.slice(3)}`, 'brackets and dash'],
    [`0171/${n}`, 'mobile with slash'],
  ];
  const [written, note] = pick(forms);
  add(`Erreichbar unter ${written}, werktags.`, { phone: 1 }, `phone, ${note}`);
}
const traps: [string, string][] = [
  ['ElbtalStrom Grün Plus für nur 29,90 € im Monat', 'tariff name and price'],
  ['Gültig ab 01.12.2026 bis 31.03.2027', 'dates'],
  ['Stadtwerke Elbtal, Kundenzentrum Dresden-Mitte', 'brand and its office'],
  ['Unsere Kundenzentren in Dresden, Pirna und Meißen', 'cities'],
  ['Für alle Haushalte in 01067, 01069 und 01097', 'postcodes of the target region'],
  ['Grüne Energie für Sachsen', 'capitalised nouns'],
  ['Neue Tarife ab Januar', 'capitalised nouns'],
  ['Sonnige Grüße aus dem Elbtal', 'greeting'],
  ['Ökostrom Plus mit 24 Monaten Preisgarantie', 'tariff'],
  ['Wechselbonus 50 € bis 31.12.', 'price and date'],
  ['Die Energiewende beginnt zu Hause', 'slogan'],
  ['Beratung am Telefon, Mo–Fr 8–18 Uhr', 'opening hours'],
  ['Heizstrom Basis und Wärmepumpe Komfort', 'tariff names'],
  ['Smart Meter Gateway inklusive', 'product'],
  ['Frische Luft, klare Preise', 'slogan'],
  ['Jetzt wechseln und sparen', 'call to action'],
  ['Mehr Infos unter stadtwerke-elbtal.de/gruen', 'own web address'],
  ['Strompreisbremse 2026 berücksichtigt', 'law'],
  ['Regionale Wasserkraft aus der Sächsischen Schweiz', 'place names'],
  ['Bürgerenergie Elbtal eG beteiligt sich', 'cooperative'],
  ['Tarifnummer 0815-4711', 'reference number'],
  ['Preis pro kWh: 0,289 €', 'price'],
  ['Gewinnspiel: 3 E-Bikes zu gewinnen', 'raffle'],
  ['Kundennummer bitte bereithalten', 'no number'],
  ['Treffpunkt am Altmarkt um 10 Uhr', 'place and time'],
  ['Neu: Grün Flex mit monatlicher Kündigung', 'tariff'],
  ['Ab 2027 mit dynamischem Tarif', 'year'],
  ['Elbtal Mobil – Laden an 120 Säulen', 'product and count'],
  ['Sommerfest der Stadtwerke am 14. Juni', 'event'],
  ['Klimaneutral seit 2020, zertifiziert vom TÜV Süd', 'certification'],
  ['Zählerstand bis 15.01. melden', 'date'],
  ['Rechnung 2026/000123 liegt bei', 'invoice number'],
  ['Mit Herz und Energie für Dresden', 'slogan'],
  ['Frau Holle bringt den Winter: Heizstrom jetzt sichern', 'fairy tale'],
  ['Hauptstraße der Energiewende', 'street-like noun'],
  ['Unser Büro am Markt ist umgezogen', 'place'],
  ['ElbtalStrom Grün – Markteinführung Herbst', 'campaign title with a dash'],
  ['Wärmepumpe – Beratung vor Ort', 'dash before capitalised nouns'],
  ['Preis gilt für Verträge bis 31.12.2026 (Stand 2024/825)', 'reference in brackets'],
];
for (const [text, note] of traps) add(text, undefined, `trap: ${note}`);

const out = resolve(PROJECT_ROOT, fileArg ?? 'test/fixtures/pii-generated.yaml');
writeFileSync(
  out,
  `# Generated by \`npm run pii-set\` (scripts/make-pii-set.ts) from @faker-js/faker, seed ${seed}: names, streets and cities\n# from its German, Austrian, Turkish, Polish, Italian, French and British locales, apart from the detectors' lists.\n# Rows without \`pii\` are traps.\n${stringify(rows)}`,
);
process.stderr.write(`wrote ${rows.length} rows to ${out}\n`);
