import type { Client } from '@temporalio/client';
import { startCampaign } from '../client/start';
import { waitForApproval } from '../client/wait-for-approval';
import type { Brief } from '../domain/brief';
import type { ModelUsage, ReviewFinding } from '../domain/campaign';
import { campaignStateQuery } from '../workflows/messages';

/** What the evaluation measures for one golden brief, at the approval gate. */
export interface BriefEvaluation {
  brief: string;
  reachedGate: boolean;
  reviewRounds: number;
  claims: { total: number; grounded: number; rate: number };
  findingsByKind: Partial<Record<ReviewFinding['kind'], number>>;
  blockingFindings: number;
  variants: { total: number; withinLimits: number };
  usage: ModelUsage | null;
  latencyMs: number;
  error?: string;
}

/** Runs one brief through the real workflow up to the approval gate, measures it, then terminates the campaign. */
export async function evaluateBrief(
  client: Client,
  name: string,
  brief: Brief,
  options: { taskQueue: string; requestedBy?: string; timeoutMs?: number; keyDir?: string },
): Promise<BriefEvaluation> {
  const id = `eval-${name}-${Date.now().toString(36)}`;
  const started = Date.now();
  await startCampaign(client, brief, options.requestedBy ?? 'lena.vogel', id, options.taskQueue, {
    ...(options.keyDir ? { keyDir: options.keyDir } : {}),
  });
  const handle = client.workflow.getHandle(id);
  try {
    const { claims, findings, variants, round } = await waitForApproval(handle, {
      timeoutMs: options.timeoutMs ?? 120_000,
    });
    const latencyMs = Date.now() - started;
    const { usage } = await handle.query(campaignStateQuery);
    const findingsByKind: BriefEvaluation['findingsByKind'] = {};
    for (const f of findings) findingsByKind[f.kind] = (findingsByKind[f.kind] ?? 0) + 1;
    const overLimit = new Set(findings.filter((f) => f.kind === 'channel-limit').map((f) => f.variantId));
    return {
      brief: name,
      reachedGate: true,
      reviewRounds: round,
      claims: { ...claims, rate: claims.total === 0 ? 1 : claims.grounded / claims.total },
      findingsByKind,
      blockingFindings: findings.filter((f) => f.blocking).length,
      variants: { total: variants.length, withinLimits: variants.filter((v) => !overLimit.has(v.id)).length },
      usage: usage.total,
      latencyMs,
    };
  } catch (err) {
    return {
      brief: name,
      reachedGate: false,
      reviewRounds: 0,
      claims: { total: 0, grounded: 0, rate: 0 },
      findingsByKind: {},
      blockingFindings: 0,
      variants: { total: 0, withinLimits: 0 },
      usage: null,
      latencyMs: Date.now() - started,
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    await handle.terminate('evaluation done').catch(() => undefined);
  }
}

/** The evaluations as a Markdown table, one row per brief. */
export function renderTable(results: BriefEvaluation[]): string {
  const rows = results.map((r) => {
    const findings =
      Object.entries(r.findingsByKind)
        .map(([kind, n]) => `${kind}: ${n}`)
        .join(', ') || 'none';
    const usage = r.usage;
    return [
      r.brief,
      r.reachedGate ? 'yes' : `no (${r.error})`,
      `${(r.claims.rate * 100).toFixed(0)}% (${r.claims.grounded}/${r.claims.total})`,
      findings,
      `${r.variants.withinLimits}/${r.variants.total}`,
      r.reviewRounds,
      usage ? usage.inputTokens + usage.outputTokens : '-',
      usage ? `€${usage.costEur.toFixed(4)}${usage.unpricedCalls ? ` (+${usage.unpricedCalls} unpriced)` : ''}` : '-',
      `${(r.latencyMs / 1000).toFixed(1)} s`,
    ].join(' | ');
  });
  return [
    '| brief | reached gate | grounded claims | findings by kind | variants within limits | rounds | tokens | cost | latency |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}
