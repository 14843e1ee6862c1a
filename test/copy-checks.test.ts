import { beforeAll, describe, expect, it } from 'vitest';
import {
  campaignFindings,
  carries,
  changeFindings,
  loadLanguageModels,
  otherLanguage,
} from '../activities/copy-checks';
import type { Brief } from '../domain/brief';
import type { Variant } from '../domain/campaign';
import { GOOD_BRIEF } from './support/campaign-env';

// The reviewer loads them at its first review; these checks are called here without one.
beforeAll(loadLanguageModels);

// What marketing checks across the copy: the brief's language, every key message, a headline per channel. The case
// first seen: an English brief for three channels came back with one headline everywhere and German bodies.
const english: Brief = {
  ...GOOD_BRIEF,
  language: 'en',
  channels: ['search-ad', 'social', 'display'],
  keyMessages: ['12 months of price guarantee', 'Advice on the phone'],
};
const NAMES = ['Stadtwerke Elbtal', 'ElbtalStrom Grün'];
const variant = (channel: Variant['channel'], headline: string, body: string): Variant => ({
  id: `${channel}-1`,
  channel,
  headline,
  body,
  factIds: ['TERM-1'],
});

describe('checks across the copy', () => {
  it('names German copy for an English brief, one headline on every channel, and a key message nobody carries', () => {
    const seen = [
      variant('search-ad', 'ElbtalStrom Grün', 'Wechsel online in 5 Minuten. 12 Monate Preisgarantie.'),
      variant('social', 'ElbtalStrom Grün', 'Wechsel online in 5 Minuten. 12 Monate Preisgarantie.'),
      variant('display', 'ElbtalStrom Grün', 'Wechsel online in 5 Minuten. 12 Monate Preisgarantie.'),
    ];
    const findings = campaignFindings(english, seen, NAMES);
    expect(findings.every((f) => f.blocking)).toBe(true);
    expect(findings.filter((f) => f.kind === 'language').map((f) => f.detail)).toEqual([
      'reads as German; the brief asks for English',
      'reads as German; the brief asks for English',
      'reads as German; the brief asks for English',
    ]);
    expect(findings.filter((f) => f.kind === 'key-message').map((f) => f.detail)).toEqual([
      'no variant carries the key message "12 months of price guarantee"',
      'no variant carries the key message "Advice on the phone"',
    ]);
    expect(findings.find((f) => f.kind === 'variety')).toMatchObject({
      variantId: 'search-ad-1, social-1, display-1',
      detail: 'search-ad, social, display share the headline "ElbtalStrom Grün"; each channel needs its own',
    });
  });

  it('passes copy in the brief language that carries every message with a headline per channel', () => {
    const good = [
      variant('search-ad', '12 months of price guarantee', 'Switch to ElbtalStrom Grün online in five minutes.'),
      variant('social', 'Advice on the phone', 'Our team answers your questions about ElbtalStrom Grün.'),
      variant('display', 'Switch now: ElbtalStrom Grün', 'Green power from the region with a price guarantee.'),
    ];
    expect(campaignFindings(english, good, NAMES)).toEqual([]);
    // A German brief's German copy, with the brand's names in it, reads as German.
    expect(otherLanguage('ElbtalStrom Grün: 12 Monate Preisgarantie, danach monatlich kündbar.', 'de', NAMES)).toBe(
      null,
    );
    // Too short to tell: no finding rather than a guess.
    expect(otherLanguage('ElbtalStrom Grün jetzt', 'en', NAMES)).toBe(null);
  });

  it('counts a key message as carried when most of its words are there, in any inflection', () => {
    expect(carries('Mit 12 Monaten Preisgarantie und Ökostrom', '12 Monate Preisgarantie')).toBe(true);
    expect(carries('Wechsel online in 5 Minuten', 'Beratung am Telefon')).toBe(false);
  });
});

describe('copy after a change request', () => {
  const before = [
    variant('search-ad', '12 months of price guarantee', 'Switch online in five minutes.'),
    variant('social', 'Advice on the phone', 'Our team answers your questions.'),
  ];
  const request = { by: 'jonas.weber', feedback: 'please write it in English', variants: before };

  it('blocks copy that is the same as the round sent back, and notes a channel left as it was', () => {
    expect(changeFindings(before, request)).toEqual([
      {
        variantId: 'campaign',
        kind: 'unchanged',
        blocking: true,
        detail: 'the copy is the same as the round jonas.weber sent back with "please write it in English"',
      },
    ]);
    const oneChanged = [before[0] as Variant, variant('social', 'Call us: advice on the phone', 'We answer.')];
    expect(changeFindings(oneChanged, request)).toEqual([
      {
        variantId: 'search-ad-1',
        kind: 'unchanged',
        blocking: false,
        detail: 'search-ad is as it was when jonas.weber asked "please write it in English"',
      },
    ]);
    expect(
      changeFindings([variant('search-ad', 'New', 'Other.'), variant('social', 'New too', 'Else.')], request),
    ).toEqual([]);
  });
});
