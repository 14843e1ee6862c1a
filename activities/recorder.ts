import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { AuditEvent } from '../domain/audit';
import { Failure } from '../domain/failures';
import { AuditStoreRefusal } from '../store/audit-trail';
import type { ActivityDeps } from './deps';

/** What the recorder gets: the audit events of a campaign that no later step will carry to the store. */
export interface RecordAuditInput {
  events: AuditEvent[];
}

/** The recorder: records a campaign's last audit events (decisions, the last step) in the store. */
export function createRecorder({ store }: Pick<ActivityDeps, 'store'>) {
  return {
    /** Appends `events` under the run of the activity's own info; the store skips those it already has. */
    async recordAudit(input: RecordAuditInput): Promise<{ recorded: number }> {
      const { workflowExecution } = Context.current().info;
      return { recorded: await appendTo(store, workflowExecution, input.events ?? []) };
    },
  };
}

/**
 * Appends events to the audit trail under the campaign and run of the caller's own activity info, never what the
 * events claim; a refusal stops the activity for good. The one way activities hand events to the store.
 */
export async function appendTo(
  store: ActivityDeps['store'],
  execution: { workflowId?: string; runId?: string } | undefined,
  events: readonly AuditEvent[],
): Promise<number> {
  if (events.length === 0) return 0;
  try {
    const { appended } = await store.trail.append(
      execution?.workflowId ?? 'unknown',
      execution?.runId ?? 'unknown',
      events,
    );
    return appended;
  } catch (err) {
    if (err instanceof AuditStoreRefusal) {
      log.warn('audit store refused events', { reason: err.message });
      throw ApplicationFailure.nonRetryable(`the audit store refused: ${err.message}`, Failure.AuditRefused);
    }
    throw err;
  }
}
