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
import { openGovernedCall } from '../domain/governed-call';
import type { ActivityDeps } from './deps';
import { appendTo } from './recorder';
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
    await appendTo(this.deps.store, workflowExecution, openCall(input));
    const call = {
      campaignId,
      runId: workflowExecution?.runId ?? 'unknown',
      workflowType: workflowType ?? 'unknown',
      data: this.deps.data,
      store: this.deps.store,
    };
    const { context, notes } = await grant.context(input.args[0], call);
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
}

/** Takes the audit events out of the activity's argument (see `openGovernedCall`) and leaves it its input alone. */
function openCall(input: ActivityExecuteInput): AuditEvent[] {
  const opened = openGovernedCall(input.args[0]);
  (input.args as unknown[])[0] = opened.input;
  return opened.audit;
}

/**
 * For the benchmark only, to measure what governance costs: opens each call's envelope (the activity gets its input)
 * and drops its audit events, the recorder's included, with no store, no policy and no envelope around the result.
 * Nothing else may use it.
 */
export function ungovernedActivities(): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      execute: async (input, next) => {
        openCall(input);
        if (ctx.info.activityType === 'recordAudit') return { recorded: 0 };
        return next(input);
      },
    },
  });
}

function denied(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, Failure.PolicyDenied);
}
