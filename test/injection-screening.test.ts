import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { folded, injectionReasons } from '../activities/privacy/injection';

interface Row {
  text: string;
  injection?: boolean;
  note: string;
}
const rows = parse(readFileSync(resolve(import.meta.dirname, 'fixtures/injection-cases.yaml'), 'utf8')) as Row[];
const OWN = { ownDomains: ['stadtwerke-elbtal.de'] };

describe('instructions aimed at the model', () => {
  it(`are flagged in a labelled table of ${rows.length} texts with recall and precision of at least 0.95`, () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const misses: string[] = [];
    for (const row of rows) {
      const flagged = injectionReasons(row.text, OWN).length > 0;
      if (flagged && row.injection) tp += 1;
      if (flagged && !row.injection) {
        fp += 1;
        misses.push(`flagged a trap (${injectionReasons(row.text, OWN).join(', ')}): ${row.text}`);
      }
      if (!flagged && row.injection) {
        fn += 1;
        misses.push(`missed (${row.note}): ${row.text}`);
      }
    }
    const recall = tp / (tp + fn);
    const precision = tp / (tp + fp);
    // The figures docs/guardrails.md quotes; printed on every run.
    console.log(
      [
        `injection screening over ${rows.length} labelled texts: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn})`,
        ...misses.map((m) => `  ${m}`),
      ].join('\n'),
    );
    expect(rows.filter((r) => r.injection).length).toBeGreaterThanOrEqual(45);
    expect(rows.filter((r) => !r.injection).length).toBeGreaterThanOrEqual(35);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(precision).toBeGreaterThanOrEqual(0.95);
  });

  it('reads look-alike letters, invisible characters and full-width forms as the letters they show', () => {
    expect(folded('Іgnоre\u00ad ａｌｌ prev\u0131ous')).toBe('ignore all previous');
  });

  it("links to the brand's own domains pass; links anywhere else are named", () => {
    expect(injectionReasons('[Tarife](https://www.stadtwerke-elbtal.de/tarife)', OWN)).toEqual([]);
    expect(injectionReasons('[Tarife](https://stadtwerke-elbtal.de.evil.example/tarife)', OWN)).toEqual([
      'links to a domain the brand does not own',
    ]);
  });
});
