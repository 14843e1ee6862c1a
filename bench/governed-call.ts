import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput } from '@temporalio/worker';
import type { ActivityDeps } from '../activities/deps';
import { governedActivities } from '../activities/governed';
import type { AuditEvent } from '../domain/audit';
import { GENESIS_HASH } from '../domain/audit-verify';
import type { Brief } from '../domain/brief';
import { hashOf } from '../domain/hash';
import { quantile } from './measure';

/** A chain of `n` audit events for one run, continuing from `after`, as a campaign's steps would leave them. */
function events(campaignId: string, runId: string, from: number, n: number, after: string): AuditEvent[] {
  const out: AuditEvent[] = [];
  let prevHash = after;
  for (let seq = from; seq < from + n; seq++) {
    const body = {
      seq,
      at: new Date().toISOString(),
      workflowId: campaignId,
      runId,
      step: 'variants',
      actor: { kind: 'agent' as const, id: 'copywriter', establishedBy: 'worker task queue' },
      action: 'llm.generate',
      outcome: 'ok' as const,
      inputHash: hashOf(seq),
      outputHash: hashOf(-seq),
      privacy: { redacted: { email: seq % 7 === 0 ? 1 : 0 } },
      detail: { injections: seq % 11 === 0 ? [{ source: 'fact', id: `f${seq}` }] : [] },
      prevHash,
    };
    const event = { ...body, hash: hashOf(body) } as unknown as AuditEvent;
    out.push(event);
    prevHash = event.hash;
  }
  return out;
}

/**
 * The governance interceptor's own cost per call for a campaign whose trail already has `trailLength` events: each
 * call brings one new event (appended in its transaction, checkpoint signed), reads the run's facts, asks the
 * policies, and records the signed receipt, around an activity that does nothing. `rescan` adds what the file store did on every call before the
 * governance store: read the whole trail and recompute the facts from it, the same-run baseline for the growth.
 */
export async function governedCallMs(
  deps: ActivityDeps,
  brief: Brief,
  options: { trailLength: number; calls: number; rescan?: boolean },
): Promise<{ p50: number; p95: number }> {
  const campaignId = `bench-call-${options.trailLength}-${options.rescan ? 'rescan' : 'facts'}-${Date.now()}`;
  const runId = 'bench-run';
  // The run is its campaign, as our planner binds it: a call of an unbound run is denied before any tool.
  await deps.store.bindings.bind(campaignId, { runId, requestedBy: 'lena.vogel', briefHash: hashOf(brief) });
  const existing = events(campaignId, runId, 1, options.trailLength, GENESIS_HASH);
  await deps.store.trail.append(campaignId, runId, existing);
  let head = existing.at(-1)?.hash ?? GENESIS_HASH;
  let seq = options.trailLength + 1;
  const ctx = {
    info: {
      activityType: 'writeVariants',
      activityId: 'bench',
      attempt: 1,
      workflowExecution: { workflowId: campaignId, runId },
      workflowType: 'campaignWorkflow',
    },
  } as unknown as Context;
  const inbound = governedActivities(deps)(ctx).inbound;
  if (!inbound?.execute) throw new Error('the governance interceptor has no inbound execute');
  const times: number[] = [];
  for (let i = 0; i < options.calls; i++) {
    const audit = events(campaignId, runId, seq, 1, head);
    head = audit[0]?.hash ?? head;
    seq += 1;
    const input = {
      args: [{ input: { brief, round: 1, feedback: [] }, audit }],
      headers: {},
    } as unknown as ActivityExecuteInput;
    const started = process.hrtime.bigint();
    if (options.rescan) {
      // The file store's way: the whole trail, on every call, to find spend, data classes and injections.
      const { events: all } = await deps.store.trail.read(campaignId);
      all.reduce((sum, e) => sum + (e.usage?.costEur ?? 0), 0);
    }
    await inbound.execute(input, async () => ({ written: true }));
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
}
