import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { reviewVariant } from '../activities/review-rules';
import type { Variant } from '../domain/campaign';
import { GOOD_BRIEF } from './support/campaign-env';
import { exampleData, offlineResearch } from './support/offline-research';

const kb = exampleData.knowledgeBase('stadtwerke-elbtal');
const research = await offlineResearch(GOOD_BRIEF);
const cases = parse(readFileSync(resolve(import.meta.dirname, 'fixtures/review-cases.yaml'), 'utf8')) as {
  name: string;
  variant: Omit<Variant, 'id'>;
  kinds: string[];
}[];

describe('reviewer rules', () => {
  it.each(cases)('$name', ({ variant, kinds }) => {
    const findings = reviewVariant({ id: 'v-1', ...variant }, research, kb);
    expect([...new Set(findings.map((f) => f.kind))].sort()).toEqual([...kinds].sort());
    expect(findings.every((f) => f.blocking && f.variantId === 'v-1')).toBe(true);
  });
});
