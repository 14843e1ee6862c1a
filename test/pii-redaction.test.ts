import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findPii, PII_TYPES, type PiiType, redactDeep, redactText } from '../activities/privacy/pii';

interface Row {
  text: string;
  pii?: Partial<Record<PiiType, number>>;
}
const rows = parse(readFileSync(resolve(import.meta.dirname, 'fixtures/pii-cases.yaml'), 'utf8')) as Row[];

/** The goals of the issue, per kind: recall and precision. */
const GOALS: Record<PiiType, { recall: number; precision: number }> = {
  iban: { recall: 0.99, precision: 0.95 },
  taxId: { recall: 0.99, precision: 0.95 },
  email: { recall: 0.95, precision: 0.95 },
  phone: { recall: 0.95, precision: 0.95 },
  address: { recall: 0.85, precision: 0.95 },
  vatId: { recall: 0.85, precision: 0.95 },
  name: { recall: 0.85, precision: 0.95 },
};

describe('personal data kept from models', () => {
  it(`finds personal data in a labelled table of ${rows.length} cases with the precision and recall the goals ask`, () => {
    expect(rows.length).toBeGreaterThanOrEqual(200);
    const tally = Object.fromEntries(PII_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<
      PiiType,
      { tp: number; fp: number; fn: number }
    >;
    const misses: string[] = [];
    for (const row of rows) {
      const found: Partial<Record<PiiType, number>> = {};
      for (const m of findPii(row.text)) found[m.type] = (found[m.type] ?? 0) + 1;
      for (const type of PII_TYPES) {
        const expected = row.pii?.[type] ?? 0;
        const got = found[type] ?? 0;
        const counts = tally[type];
        counts.tp += Math.min(expected, got);
        counts.fp += Math.max(0, got - expected);
        counts.fn += Math.max(0, expected - got);
        if (got !== expected) misses.push(`${type}: expected ${expected}, found ${got}: ${row.text}`);
      }
    }
    const lines = PII_TYPES.map((type) => {
      const { tp, fp, fn } = tally[type];
      const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
      const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
      return { type, tp, fp, fn, precision, recall };
    });
    // The figures the README quotes; printed on every run.
    console.log(
      [
        `PII detection over ${rows.length} labelled cases:`,
        ...lines.map(
          (l) =>
            `  ${l.type.padEnd(8)} precision ${l.precision.toFixed(3)}  recall ${l.recall.toFixed(3)}  (tp ${l.tp}, fp ${l.fp}, fn ${l.fn})`,
        ),
        ...(misses.length ? ['  misses:', ...misses.map((m) => `    ${m}`)] : []),
      ].join('\n'),
    );
    for (const l of lines) {
      expect(l.recall, `${l.type} recall`).toBeGreaterThanOrEqual(GOALS[l.type].recall);
      expect(l.precision, `${l.type} precision`).toBeGreaterThanOrEqual(GOALS[l.type].precision);
    }
  });

  it('replaces each value with a placeholder and counts kinds, never values', () => {
    const { text, counts } = redactText(
      'Frau Schneider, erika@example.de, Tel. 0351 4567890, IBAN DE89 3704 0044 0532 0130 00',
    );
    expect(text).toBe('Frau [NAME], [E-MAIL], Tel. [PHONE], IBAN [IBAN]');
    expect(counts).toEqual({ name: 1, email: 1, phone: 1, iban: 1 });
    const deep = redactDeep({ brief: { keyMessages: ['Rufen Sie Herrn Becker an: 0171 2345678'] }, round: 2 });
    expect(deep.value).toEqual({ brief: { keyMessages: ['Rufen Sie Herrn [NAME] an: [PHONE]'] }, round: 2 });
    expect(deep.counts).toEqual({ name: 1, phone: 1 });
  });
});
