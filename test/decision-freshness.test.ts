import { describe, expect, it } from 'vitest';
import { DECISION_FRESH_MS, DECISION_SKEW_MS, freshnessRefusal } from '../domain/signatures';

describe('how fresh a signed decision must be', () => {
  const decidedAt = '2026-12-01T10:00:00.000Z';
  const at = Date.parse(decidedAt);
  it('takes effect within its minutes and is refused after them, or from the future', () => {
    expect(freshnessRefusal(decidedAt, at + 60_000)).toBeNull();
    expect(freshnessRefusal(decidedAt, at + DECISION_FRESH_MS + 1)).toMatch(/arrived more than/);
    expect(freshnessRefusal(decidedAt, at - DECISION_SKEW_MS - 1)).toMatch(/in the future/);
    expect(freshnessRefusal('yesterday', at)).toMatch(/not a time/);
  });

  it('is refused when there is no clock to compare against, instead of passing both comparisons', () => {
    expect(freshnessRefusal(decidedAt, Number.NaN)).toMatch(/no time to check/);
    expect(freshnessRefusal(decidedAt, Number.POSITIVE_INFINITY)).toMatch(/no time to check/);
  });
});
