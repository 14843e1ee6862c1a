import { type Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
  Next,
} from '@temporalio/worker';
import type { AuditEvent, Governed, PolicyRecord } from '../domain/audit';
import { Failure } from '../domain/failures';
import { AuditStoreRefusal } from './audit-store';
import type { ActivityDeps } from './deps';
import { grantFor } from './tool-grants';

/**
 * Builds the interceptor that every activity passes: it first hands the audit events the call carries to the audit
 * store, then asks the policy engine, and denies unless allowed.
 */
export function governedActivities(deps: ActivityDeps): ActivityInterceptorsFactory {
  return (ctx) => ({ inbound: new GovernedActivityInbound(ctx, deps) });
}

class GovernedActivityInbound implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Context,
    private readonly deps: ActivityDeps,
  ) {}

  /** Decides every tool of the activity's grant, runs it, and returns its result in a {@link Governed} envelope. */
  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<Governed<unknown>> {
    const { activityType, workflowExecution, workflowType } = this.ctx.info;
    const grant = grantFor(activityType);
    if (!grant) throw denied(`activity ${activityType} has no tool grant, so no policy can permit it`);
    const campaignId = workflowExecution?.workflowId ?? 'unknown';
    this.record(campaignId, workflowExecution?.runId ?? 'unknown', input);
    const call = {
      campaignId,
      runId: workflowExecution?.runId ?? 'unknown',
      workflowType: workflowType ?? 'unknown',
      data: this.deps.data,
      audit: this.deps.audit,
    };
    const { context, notes } = grant.context(input.args[0], call);
    const policyIds: string[] = [];
    for (const tool of grant.tools) {
      const decision = this.deps.policies.decide({ agent: grant.agent, tool, campaignId, context });
      switch (decision.kind) {
        case 'allow':
          policyIds.push(...decision.policyIds);
          break;
        case 'deny':
          log.warn('tool call denied', { agent: grant.agent, tool, reasons: decision.reasons, evidence: notes });
          throw denied(
            `${grant.agent} may not call ${tool}: ${decision.reasons.join('; ')}${notes.length ? ` (evidence: ${notes.join('; ')})` : ''}`,
          );
        default:
          return decision satisfies never;
      }
    }
    const policy: PolicyRecord = {
      agent: grant.agent,
      tools: [...grant.tools],
      decision: 'allow',
      policyIds,
      policySetHash: this.deps.policies.policySetHash,
      context,
      code: this.deps.code,
    };
    return { output: await next(input), policy };
  }

  /**
   * Appends the audit events the workflow sent along (`audit` in the input) to the store, under the campaign id of
   * the activity's own info, and takes them out of the input. A retried activity sends the same events again; the store
   * skips those it has. An event that does not continue the stored chain stops the activity for good.
   */
  private record(campaignId: string, runId: string, input: ActivityExecuteInput): void {
    const arg = input.args[0] as { audit?: AuditEvent[] } | undefined;
    if (!arg || typeof arg !== 'object' || !Array.isArray(arg.audit)) return;
    const { audit, ...rest } = arg;
    (input.args as unknown[])[0] = rest;
    try {
      this.deps.audit.append(campaignId, runId, audit);
    } catch (err) {
      if (err instanceof AuditStoreRefusal) {
        log.warn('audit store refused events', { reason: err.message });
        throw ApplicationFailure.nonRetryable(`the audit store refused: ${err.message}`, Failure.AuditRefused);
      }
      throw err;
    }
  }
}

function denied(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, Failure.PolicyDenied);
}
