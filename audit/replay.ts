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

/**
 * Replays `history` and checks it against the audit store and the outbox seal. A pinned campaign is replayed on its
 * own build's bundle when `bundleOf` finds it (a build only ever runs its own campaigns), else on today's code.
 */
export async function replayCampaign(
  history: temporal.api.history.v1.IHistory,
  options: {
    workflowBundle: { codePath: string };
    bundleOf?: (buildId: string) => { codePath: string } | null;
    /** The governance store's trail; without one, a history is compared with the workflow's own result. */
    trail?: Pick<AuditTrail, 'read'>;
    outboxDir: string;
  },
): Promise<ReplayReport> {
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const workflowId =
    started?.workflowId ?? history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? 'unknown';
  const runId = started?.originalExecutionRunId ?? '';
  const recordedBy = recordingBuild(history);
  const own = recordedBy ? (options.bundleOf?.(recordedBy) ?? null) : null;
  let divergence: string | null = null;
  try {
    await Worker.runReplayHistory({ workflowBundle: own ?? options.workflowBundle }, history, workflowId);
  } catch (err) {
    divergence = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'replay failed';
  }
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
