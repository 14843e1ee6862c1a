import type { Client } from '@temporalio/client';
import { campaignView } from '../client/campaign-view';
import { decisionBinding, decisionEnvelope, sealDecision } from '../client/decide';
import { startCampaign } from '../client/start';
import { waitForApproval } from '../client/wait-for-approval';
import type { Brief } from '../domain/brief';
import type { ModelUsage, PendingApproval, ReviewFinding } from '../domain/campaign';
import { campaignStateQuery, decideUpdate } from '../workflows/messages';

/** The change request the evaluation sends once a brief reaches the gate, to see that the next round changes. */
export const EVAL_CHANGE_REQUEST = 'Bitte anders formulieren: jede Überschrift neu, der Text darf kürzer sein.';

/** What the evaluation measures for one golden brief, at the approval gate. */
export interface BriefEvaluation {
  brief: string;
  reachedGate: boolean;
  reviewRounds: number;
  claims: { total: number; grounded: number; rate: number };
  findingsByKind: Partial<Record<ReviewFinding['kind'], number>>;
  blockingFindings: number;
  variants: { total: number; withinLimits: number };
  /** Variants without a `language` finding: in the brief's language. */
  language: { matching: number; total: number };
  /** Key messages no `key-message` finding says are missing. */
  keyMessages: { carried: number; total: number };
  /** Distinct headlines across the channels. */
  variety: { distinctHeadlines: number; channels: number };
  /** Variants the reviewer found personal data in. */
  personalData: number;
  /** After the evaluation's change request: how many variants of the next round differ from the first's. */
  changeRequest: { changed: number; total: number; honoured: boolean } | null;
  /** The copy at the gate, as the approver sees it. */
  copy: { channel: string; headline: string; body: string }[];
  usage: ModelUsage | null;
  latencyMs: number;
  error?: string;
}

/** Whether the brief's copy fails the evaluation: it reached the gate with blocking findings, or grounded nothing. */
export function failsEvaluation(r: BriefEvaluation): string | null {
  if (!r.reachedGate) return `${r.brief}: did not reach the gate (${r.error ?? 'no reason'})`;
  if (r.blockingFindings > 0) return `${r.brief}: reached the gate with ${r.blockingFindings} blocking finding(s)`;
  if (r.claims.total === 0) return `${r.brief}: grounding is 0 of 0 (no claim to check)`;
  if (r.changeRequest && !r.changeRequest.honoured) return `${r.brief}: the change request changed nothing`;
  return null;
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
    const pending = await waitForApproval(handle, { timeoutMs: options.timeoutMs ?? 120_000 });
    const { claims, findings, variants, round } = pending;
    const latencyMs = Date.now() - started;
    const { usage } = await handle.query(campaignStateQuery);
    const findingsByKind: BriefEvaluation['findingsByKind'] = {};
    for (const f of findings) findingsByKind[f.kind] = (findingsByKind[f.kind] ?? 0) + 1;
    const overLimit = new Set(findings.filter((f) => f.kind === 'channel-limit').map((f) => f.variantId));
    const of = (kind: ReviewFinding['kind']) => findings.filter((f) => f.kind === kind);
    const changeRequest = options.keyDir ? await requestChanges(client, id, pending, options.keyDir, options) : null;
    return {
      brief: name,
      reachedGate: true,
      reviewRounds: round,
      claims: { ...claims, rate: claims.total === 0 ? 0 : claims.grounded / claims.total },
      findingsByKind,
      blockingFindings: findings.filter((f) => f.blocking).length,
      variants: { total: variants.length, withinLimits: variants.filter((v) => !overLimit.has(v.id)).length },
      language: {
        matching: variants.length - new Set(of('language').map((f) => f.variantId)).size,
        total: variants.length,
      },
      keyMessages: { carried: brief.keyMessages.length - of('key-message').length, total: brief.keyMessages.length },
      variety: {
        distinctHeadlines: new Set(variants.map((v) => v.headline.trim().toLowerCase())).size,
        channels: variants.length,
      },
      personalData: new Set(of('pii').map((f) => f.variantId)).size,
      changeRequest,
      copy: variants.map(({ channel, headline, body }) => ({ channel, headline, body })),
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
      language: { matching: 0, total: 0 },
      keyMessages: { carried: 0, total: brief.keyMessages.length },
      variety: { distinctHeadlines: 0, channels: 0 },
      personalData: 0,
      changeRequest: null,
      copy: [],
      usage: null,
      latencyMs: Date.now() - started,
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    await handle.terminate('evaluation done').catch(() => undefined);
  }
}

/**
 * Sends the evaluation's change request as the first approver the campaign lists, signed with their key, and measures
 * how much of the next round differs from this one.
 */
async function requestChanges(
  client: Client,
  id: string,
  first: PendingApproval,
  keyDir: string,
  options: { timeoutMs?: number },
): Promise<BriefEvaluation['changeRequest']> {
  const handle = client.workflow.getHandle(id);
  const [approver] = campaignView(await handle.describe()).mayDecide;
  if (!approver) return null;
  const draft = {
    decision: 'request-changes' as const,
    approver,
    contentHash: first.contentHash,
    feedback: EVAL_CHANGE_REQUEST,
    ...(await decisionBinding(client, id)),
  };
  const envelope = await decisionEnvelope(client, id);
  await handle.executeUpdate(decideUpdate, {
    args: [sealDecision(id, draft, { keyDir, signaturesRequired: true, envelope })],
  });
  const next = await waitForApproval(handle, { round: first.round + 1, timeoutMs: options.timeoutMs ?? 120_000 });
  const text = (v: { channel: string; headline: string; body: string }) => `${v.channel}\n${v.headline}\n${v.body}`;
  const before = new Set(first.variants.map(text));
  const changed = next.variants.filter((v) => !before.has(text(v))).length;
  return { changed, total: next.variants.length, honoured: changed === next.variants.length && changed > 0 };
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
      `${r.language.matching}/${r.language.total}`,
      `${r.keyMessages.carried}/${r.keyMessages.total}`,
      `${r.variety.distinctHeadlines}/${r.variety.channels}`,
      r.changeRequest ? `${r.changeRequest.changed}/${r.changeRequest.total} changed` : '-',
      r.personalData,
      r.reviewRounds,
      usage ? usage.inputTokens + usage.outputTokens : '-',
      usage ? `€${usage.costEur.toFixed(4)}${usage.unpricedCalls ? ` (+${usage.unpricedCalls} unpriced)` : ''}` : '-',
      `${(r.latencyMs / 1000).toFixed(1)} s`,
    ].join(' | ');
  });
  const sum = (f: (r: BriefEvaluation) => number) => results.reduce((n, r) => n + f(r), 0);
  const changed = results.filter((r) => r.changeRequest);
  const overall = [
    '**overall**',
    `${results.filter((r) => r.reachedGate).length}/${results.length}`,
    `${sum((r) => r.claims.grounded)}/${sum((r) => r.claims.total)}`,
    `${sum((r) => r.blockingFindings)} blocking`,
    `${sum((r) => r.variants.withinLimits)}/${sum((r) => r.variants.total)}`,
    `${sum((r) => r.language.matching)}/${sum((r) => r.language.total)}`,
    `${sum((r) => r.keyMessages.carried)}/${sum((r) => r.keyMessages.total)}`,
    `${sum((r) => r.variety.distinctHeadlines)}/${sum((r) => r.variety.channels)}`,
    changed.length
      ? `${changed.filter((r) => r.changeRequest?.honoured).length}/${changed.length} briefs changed`
      : '-',
    sum((r) => r.personalData),
    '',
    sum((r) => (r.usage ? r.usage.inputTokens + r.usage.outputTokens : 0)),
    `€${sum((r) => r.usage?.costEur ?? 0).toFixed(4)}`,
    '',
  ].join(' | ');
  return [
    '| brief | reached gate | grounded claims | findings by kind | variants within limits | in the brief language | key messages carried | distinct headlines | after a change request | with personal data | rounds | tokens | cost | latency |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
    ...(results.length > 1 ? [`| ${overall} |`] : []),
  ].join('\n');
}
