/** Tokens, cost and time of the model calls behind one output; a cached call was paid for by an earlier attempt. */
export interface ModelUsage {
  calls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  costEur: number;
  /** Calls to a model missing from the price table; their cost is counted as 0. */
  unpricedCalls: number;
  latencyMs: number;
}

/** No calls, no cost. */
export const NO_USAGE: ModelUsage = {
  calls: 0,
  cachedCalls: 0,
  inputTokens: 0,
  outputTokens: 0,
  costEur: 0,
  unpricedCalls: 0,
  latencyMs: 0,
};

/** The sum of two usages. */
export function addUsage(a: ModelUsage, b: ModelUsage): ModelUsage {
  return {
    calls: a.calls + b.calls,
    cachedCalls: a.cachedCalls + b.cachedCalls,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    costEur: a.costEur + b.costEur,
    unpricedCalls: (a.unpricedCalls ?? 0) + (b.unpricedCalls ?? 0),
    latencyMs: a.latencyMs + b.latencyMs,
  };
}

/** Usage per step and for the whole campaign. */
export interface UsageReport {
  byStep: Record<string, ModelUsage>;
  total: ModelUsage;
}

/** One line for people: calls, cache hits, tokens and cost, as `status` and Current Details show it. */
export function describeUsage(u: ModelUsage): string {
  const unpriced = u.unpricedCalls ? ` (${u.unpricedCalls} calls without a price)` : '';
  return `${u.calls} calls (${u.cachedCalls} from cache), ${u.inputTokens} in / ${u.outputTokens} out tokens, €${u.costEur.toFixed(4)}${unpriced}`;
}
