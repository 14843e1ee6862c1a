import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { AuditEvent } from '../domain/audit';
import { budgetDecisionSchema } from '../domain/budget-decision';
import { type Decision, decisionSchema } from '../domain/decision';
import { identityRefusal, rosterTrust } from '../domain/decision-identity';
import { Failure } from '../domain/failures';
import { bindingRefusal, budgetSignatureRefusal, freshnessRefusal } from '../domain/signatures';
import { AuditStoreRefusal } from '../store/audit-trail';
import type { ActivityDeps } from './deps';
import { planReceiptOf } from './receipt-evidence';

/** What the recorder gets: the audit events of a campaign that no later step will carry to the store. */
export interface RecordAuditInput {
  events: AuditEvent[];
}

/** What the gate hands the recorder the moment it accepts a decision. */
export interface RecordDecisionInput {
  kind: 'approval' | 'budget';
  decision: unknown;
}

/**
 * The recorder: records a campaign's last audit events (decisions, the last step) in the store, and every decision
 * the moment a gate accepts it, so a campaign terminated at the gate keeps them.
 */
export function createRecorder(deps: Pick<ActivityDeps, 'store' | 'data' | 'identity' | 'trustedKeys' | 'login'>) {
  const { store, data, identity, trustedKeys } = deps;
  return {
    /**
     * Checks a decision again on the worker side (its own run and the plan its planner made, the approver's roster key,
     * fresh) and records it once: a signature that took effect before, here or for any other run, is refused.
     */
    async recordDecision(input: RecordDecisionInput): Promise<{ recorded: true }> {
      const { workflowExecution, scheduledTimestampMs } = Context.current().info;
      const campaignId = workflowExecution?.workflowId ?? 'unknown';
      const runId = workflowExecution?.runId ?? 'unknown';
      const refuse = (reason: string) =>
        ApplicationFailure.nonRetryable(`decision not recorded: ${reason}`, Failure.PolicyDenied);
      const { plan, problems } = await planReceiptOf(store, trustedKeys, campaignId, runId);
      if (!plan?.outputHash) {
        throw refuse(`run ${runId} has no plan from our planner${problems[0] ? ` (${problems[0]})` : ''}`);
      }
      const parsed =
        input.kind === 'approval'
          ? decisionSchema.safeParse(input.decision)
          : budgetDecisionSchema.safeParse(input.decision);
      if (!parsed.success) throw refuse('not a well-formed decision');
      const decision = parsed.data;
      const person = data.roster().people.filter((p) => p.id === decision.approver);
      const key = person[0]?.publicKey;
      // Checked again against today's roster and trust lists: the approver's key, or their login stamped by a
      // trusted login service.
      const trust = rosterTrust(person, deps.login);
      const problem =
        bindingRefusal(decision, runId, plan.outputHash) ??
        (input.kind === 'approval'
          ? identityRefusal(campaignId, decision as Decision, trust)
          : budgetSignatureRefusal(campaignId, decision as never, key)) ??
        // The server's clock when the gate scheduled this: what the workflow's own time follows, not the caller's.
        freshnessRefusal(decision.decidedAt ?? '', scheduledTimestampMs);
      if (problem) throw refuse(problem);
      const recorded = await store.decisions.record({
        campaignId,
        runId,
        kind: input.kind,
        decision: decision as never,
        recordedBy: identity,
      });
      if (recorded === 'used') throw refuse('this signed decision already took effect; sign a new one');
      return { recorded: true };
    },
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
