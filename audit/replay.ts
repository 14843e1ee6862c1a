import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readStoredTrail } from '../activities/audit-store';
import type { AuditEvent } from '../domain/audit';
import type { OutboxPackage } from '../domain/outbox-package';
import { compareHistoryWithTrail, type Mismatch, workflowResult } from './history-audit';
import { readPackage } from './package';

/** What replaying one campaign found. */
export interface ReplayReport {
  workflowId: string;
  runId: string;
  /** Today's workflow code makes the same decisions as the history; else the first divergence. */
  deterministic: boolean;
  divergence: string | null;
  /** What the history was compared with: the audit store, or (for campaigns before it) the workflow's own result. */
  comparedWith: 'audit store' | 'workflow result' | 'nothing';
  consistent: boolean;
  mismatch: Mismatch | null;
  /** The outbox package's seal, when there is one: its head is in the trail and names this run. */
  seal: 'matches' | 'differs' | 'no package';
}

/** Replays `history` against `workflowBundle` and checks it against the audit store and the outbox seal. */
export async function replayCampaign(
  history: temporal.api.history.v1.IHistory,
  options: { workflowBundle: { codePath: string }; auditDir: string; outboxDir: string },
): Promise<ReplayReport> {
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const workflowId =
    started?.workflowId ?? history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? 'unknown';
  const runId = started?.originalExecutionRunId ?? '';
  let divergence: string | null = null;
  try {
    await Worker.runReplayHistory({ workflowBundle: options.workflowBundle }, history, workflowId);
  } catch (err) {
    divergence = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'replay failed';
  }
  const stored = readStoredTrail(options.auditDir, workflowId).events.filter((e) => !runId || e.runId === runId);
  const result = workflowResult(history.events ?? []);
  const trail: AuditEvent[] = stored.length > 0 ? stored : (result?.audit ?? []);
  const comparedWith = stored.length > 0 ? 'audit store' : result ? 'workflow result' : 'nothing';
  const mismatch = comparedWith === 'nothing' ? null : compareHistoryWithTrail(history, trail);
  const pkg = readPackage(options.outboxDir, workflowId);
  return {
    workflowId,
    runId,
    deterministic: divergence === null,
    divergence,
    comparedWith,
    consistent: comparedWith !== 'nothing' && mismatch === null,
    mismatch,
    seal: sealVerdict(pkg, trail, runId),
  };
}

function sealVerdict(pkg: OutboxPackage | null, trail: readonly AuditEvent[], runId: string): ReplayReport['seal'] {
  if (!pkg) return 'no package';
  const { seal } = pkg;
  const index = trail.findIndex((e) => e.hash === seal.auditHead);
  const ok = index !== -1 && trail[index + 1]?.step === 'publish' && (!seal.runId || !runId || seal.runId === runId);
  return ok ? 'matches' : 'differs';
}
