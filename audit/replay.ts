import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { AuditEvent } from '../domain/audit';
import type { OutboxPackage } from '../domain/outbox-package';
import type { AuditTrail } from '../store/audit-trail';
import { compareHistoryWithTrail, type Mismatch, workflowResult } from './history-audit';
import { readPackage } from './package';

/** What replaying one campaign found. */
export interface ReplayReport {
  workflowId: string;
  runId: string;
  /** The build that ran the campaign (pinned campaigns), or null for an unversioned one. */
  recordedBy: string | null;
  /** The workflow code replayed: the recording build's own bundle when the cache has it, else today's. */
  replayedOn: 'its own build' | "today's code";
  /** That code makes the same decisions as the history; else the first divergence. */
  deterministic: boolean;
  divergence: string | null;
  /** What the history was compared with: the audit store, or (for campaigns before it) the workflow's own result. */
  comparedWith: 'audit store' | 'workflow result' | 'nothing';
  consistent: boolean;
  mismatch: Mismatch | null;
  /** The outbox package's seal, when there is one: its head is in the trail and names this run. */
  seal: 'matches' | 'differs' | 'no package';
}

/** Where histories are replayed and what they are checked against. */
export interface ReplayOptions {
  workflowBundle: { codePath: string };
  bundleOf?: (buildId: string) => { codePath: string } | null;
  /** The governance store's trail; without one, a history is compared with the workflow's own result. */
  trail?: Pick<AuditTrail, 'read'>;
  outboxDir: string;
}

/** Histories replayed by one replay worker at a time: enough to spread its start, few enough to report as it goes. */
const BATCH = 100;

/**
 * Replays `histories` and checks each against the audit store and the outbox seal, reporting in their order. One
 * replay worker replays every history of a batch that runs on the same code (`Worker.runReplayHistories`): a pinned
 * campaign on its own build's bundle when `bundleOf` finds it (a build only ever runs its own campaigns), else on
 * today's code.
 */
export async function* replayCampaigns(
  histories: AsyncIterable<temporal.api.history.v1.IHistory> | Iterable<temporal.api.history.v1.IHistory>,
  options: ReplayOptions,
): AsyncGenerator<ReplayReport> {
  let batch: temporal.api.history.v1.IHistory[] = [];
  for await (const history of histories) {
    batch.push(history);
    if (batch.length < BATCH) continue;
    yield* replayBatch(batch, options);
    batch = [];
  }
  if (batch.length > 0) yield* replayBatch(batch, options);
}

/** Replays and checks one campaign's history (see {@link replayCampaigns}). */
export async function replayCampaign(
  history: temporal.api.history.v1.IHistory,
  options: ReplayOptions,
): Promise<ReplayReport> {
  for await (const report of replayCampaigns([history], options)) return report;
  throw new Error('replay reported nothing');
}

async function* replayBatch(
  histories: temporal.api.history.v1.IHistory[],
  options: ReplayOptions,
): AsyncGenerator<ReplayReport> {
  const runs = histories.map((history) => {
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const recordedBy = recordingBuild(history);
    const own = recordedBy ? (options.bundleOf?.(recordedBy) ?? null) : null;
    return {
      history,
      workflowId: started?.workflowId ?? 'unknown',
      runId: started?.originalExecutionRunId ?? '',
      recordedBy,
      own,
      bundle: own ?? options.workflowBundle,
      // Until the replay worker answers for this history, it counts as not replayed.
      divergence: 'not replayed' as string | null,
    };
  });
  // One replay worker per bundle; two runs of one campaign id go to different workers, where each is the only one.
  const groups = new Map<string, typeof runs>();
  const seen = new Map<string, number>();
  for (const run of runs) {
    const nth = seen.get(`${run.bundle.codePath}\n${run.workflowId}`) ?? 0;
    seen.set(`${run.bundle.codePath}\n${run.workflowId}`, nth + 1);
    const key = `${nth}\n${run.bundle.codePath}`;
    const group = groups.get(key) ?? [];
    group.push(run);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const codePath = group[0]?.bundle.codePath ?? '';
    // Results by campaign id, which is unique within a group: each history answers for itself, none by position.
    const byId = new Map(group.map((run) => [run.workflowId, run]));
    try {
      const replayed = Worker.runReplayHistories(
        { workflowBundle: { codePath } },
        group.map(({ workflowId, history }) => ({ workflowId, history })),
      );
      for await (const result of replayed) {
        const run = byId.get(result.workflowId);
        if (run) run.divergence = result.error ? firstLine(result.error) : null;
      }
    } catch (err) {
      // The replay worker itself failed (a bundle that does not load, a history it cannot read): every history of
      // the group not answered for yet says so.
      for (const run of group)
        if (run.divergence === 'not replayed') run.divergence = `not replayed: ${firstLine(err)}`;
    }
  }
  for (const run of runs) yield await checked(run, options);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'replay failed';
}

/** What a replayed history's trail and seal say, with what the replay found. */
async function checked(
  run: {
    history: temporal.api.history.v1.IHistory;
    workflowId: string;
    runId: string;
    recordedBy: string | null;
    own: { codePath: string } | null;
    divergence: string | null;
  },
  options: ReplayOptions,
): Promise<ReplayReport> {
  const { history, workflowId, runId, recordedBy, own, divergence } = run;
  const all = options.trail ? (await options.trail.read(workflowId)).events : [];
  const stored = all.filter((e) => !runId || e.runId === runId);
  const result = workflowResult(history.events ?? []);
  const trail: AuditEvent[] = stored.length > 0 ? stored : (result?.audit ?? []);
  const comparedWith = stored.length > 0 ? 'audit store' : result ? 'workflow result' : 'nothing';
  const mismatch = comparedWith === 'nothing' ? null : compareHistoryWithTrail(history, trail);
  const pkg = readPackage(options.outboxDir, workflowId);
  return {
    workflowId,
    runId,
    recordedBy,
    replayedOn: own ? 'its own build' : "today's code",
    deterministic: divergence === null,
    divergence,
    comparedWith,
    consistent: comparedWith !== 'nothing' && mismatch === null,
    mismatch,
    seal: sealVerdict(pkg, trail, runId),
  };
}

/** The build whose worker completed the campaign's workflow tasks, when it ran pinned to one. */
export function recordingBuild(history: temporal.api.history.v1.IHistory): string | null {
  for (const event of history.events ?? []) {
    const build = event.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId;
    if (build) return build;
  }
  return null;
}

function sealVerdict(pkg: OutboxPackage | null, trail: readonly AuditEvent[], runId: string): ReplayReport['seal'] {
  if (!pkg) return 'no package';
  const { seal } = pkg;
  const index = trail.findIndex((e) => e.hash === seal.auditHead);
  const ok = index !== -1 && trail[index + 1]?.step === 'publish' && (!seal.runId || !runId || seal.runId === runId);
  return ok ? 'matches' : 'differs';
}
