import { describe, expect, it } from 'vitest';
import { offlineCreativeBrief, offlineVariants } from '../activities/model-gateway/offline';
import { reviewVariant } from '../activities/review-rules';
import type { Variant } from '../domain/campaign';
import { CHANNEL_LIMITS } from '../domain/channels';
import { GOOD_BRIEF } from './support/campaign-env';
import { exampleData, offlineResearch } from './support/offline-research';

const kb = exampleData.knowledgeBase('stadtwerke-elbtal');
const research = await offlineResearch(GOOD_BRIEF);

describe('offline model', () => {
  it('ties every key message of the example brief to facts', () => {
    const brief = offlineCreativeBrief(GOOD_BRIEF, research);
    expect(brief.keyMessages.map((m) => m.factIds)).toEqual([['PROD-1'], ['TERM-1'], ['PROD-2']]);
  });

  it('writes one variant per channel, within limits, that the reviewer passes', () => {
    const variants = withIds(
      offlineVariants(GOOD_BRIEF, offlineCreativeBrief(GOOD_BRIEF, research), research, [], kb.requiredDisclaimer),
    );
    expect(variants.map((v) => v.channel)).toEqual(GOOD_BRIEF.channels);
    for (const v of variants) {
      expect(v.headline.length).toBeLessThanOrEqual(CHANNEL_LIMITS[v.channel].headline ?? 0);
      expect(v.body.length).toBeLessThanOrEqual(CHANNEL_LIMITS[v.channel].body ?? 0);
      expect(reviewVariant(v, research, kb)).toEqual([]);
    }
  });

  it('drops a key message the reviewer flagged when it writes again', () => {
    const withSuperlative = {
      ...GOOD_BRIEF,
      // Second, so the e-mail (the second channel, with room for it) takes it as its headline.
      keyMessages: [
        GOOD_BRIEF.keyMessages[0] ?? '',
        'Der günstigste Ökostrom aus der Region',
        ...GOOD_BRIEF.keyMessages.slice(1),
      ],
    };
    const creative = offlineCreativeBrief(withSuperlative, research);
    const first = withIds(offlineVariants(withSuperlative, creative, research, [], kb.requiredDisclaimer));
    const flagged = first.flatMap((v) => reviewVariant(v, research, kb));
    expect(flagged.map((f) => f.kind)).toContain('banned-phrase');
    const feedback = flagged.map((f) => `${f.detail} in "Der günstigste Ökostrom aus der Region"`);
    const second = withIds(offlineVariants(withSuperlative, creative, research, feedback, kb.requiredDisclaimer));
    expect(second.flatMap((v) => reviewVariant(v, research, kb))).toEqual([]);
  });

  it('counts only segment records whose consent covers the purpose', () => {
    expect(research.audience).toEqual({
      segment: 'households-elbtal',
      purpose: 'email-marketing',
      consentedRecords: 3,
      excludedRecords: 3,
    });
  });
});

function withIds(variants: Omit<Variant, 'id'>[]): Variant[] {
  return variants.map((v) => ({ ...v, id: `${v.channel}-1` }));
}
