import { type Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
  Next,
} from '@temporalio/worker';
import type { Governed, PolicyRecord } from '../domain/audit';
import { Failure } from '../domain/failures';
import type { PolicyEngine } from '../policies/engine';
import type { DataStore } from './data-store';
import { grantFor } from './tool-grants';

/** Builds the interceptor that asks the policy engine before every activity runs, and denies unless allowed. */
export function governedActivities(policies: PolicyEngine, data: DataStore): ActivityInterceptorsFactory {
  return (ctx) => ({ inbound: new GovernedActivityInbound(ctx, policies, data) });
}

class GovernedActivityInbound implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Context,
    private readonly policies: PolicyEngine,
    private readonly data: DataStore,
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
    const call = { campaignId, workflowType: workflowType ?? 'unknown', data: this.data };
    const { context, notes } = grant.context(input.args[0], call);
    const policyIds: string[] = [];
    for (const tool of grant.tools) {
      const decision = this.policies.decide({ agent: grant.agent, tool, campaignId, context });
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
      policySetHash: this.policies.policySetHash,
    };
    return { output: await next(input), policy };
  }
}

function denied(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, Failure.PolicyDenied);
}
