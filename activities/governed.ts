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
import { hashOf } from '../domain/hash';
import type { Receipt } from '../domain/receipt';
import type { ActivityDeps } from './deps';
import { appendTo } from './recorder';
import { grantFor } from './tool-grants';

/**
 * Builds the interceptor that every activity passes: it refuses a run that is not its campaign's, hands the audit
 * events the call carries to the store, asks the policy engine (deny unless allowed), runs the activity, and records a
 * signed receipt of what it saw, whatever the outcome.
 */
export function governedActivities(deps: ActivityDeps): ActivityInterceptorsFactory {
  return (ctx) => ({ inbound: new GovernedActivityInbound(ctx, deps) });
}

/** The one activity a run may call before it is its campaign: the planner, which verifies the start and binds it. */
const BINDS_THE_RUN = 'planCampaign';

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
    const campaignId = workflowExecution?.workflowId ?? 'unknown';
    const runId = workflowExecution?.runId ?? 'unknown';
    const events = openCall(input);
    const inputHash = hashOf(input.args[0] ?? null);
    const deny = async (message: string, policyIds: string[] = []): Promise<never> => {
      await this.receipt({ outcome: 'denied', inputHash, outputHash: null, decision: 'deny', policyIds });
      throw denied(message);
    };
    const grant = grantFor(activityType);
    if (!grant) return deny(`activity ${activityType} has no tool grant, so no policy can permit it`);
    if (activityType !== BINDS_THE_RUN) {
      // The run is the campaign: a run whose start our planner never verified (a squatter, a second run of the id by
      // ALLOW_DUPLICATE or TERMINATE_EXISTING) is no campaign, and may do nothing in one's name.
      const binding = await this.deps.store.bindings.of(campaignId);
      if (!binding || binding.runId !== runId) {
        const whose = binding ? `the campaign is run ${binding.runId}` : 'no run of the id had a verified start';
        return deny(`run ${runId} is not campaign ${campaignId}: ${whose}`);
      }
    }
    // A run's claims go into the trail once it is its campaign: the planner's only after it bound the run.
    const binds = activityType === BINDS_THE_RUN;
    if (!binds) await appendTo(this.deps.store, workflowExecution, events);
    const call = {
      campaignId,
      runId,
      workflowType: workflowType ?? 'unknown',
      data: this.deps.data,
      store: this.deps.store,
      trustedKeys: this.deps.trustedKeys,
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
          return deny(
            `${grant.agent} may not call ${tool}: ${decision.reasons.join('; ')}${notes.length ? ` (evidence: ${notes.join('; ')})` : ''}`,
            decision.policyIds ?? [],
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
    let output: unknown;
    try {
      output = await next(input);
    } catch (err) {
      await this.receipt({ outcome: 'failed', inputHash, outputHash: null, decision: 'allow', policyIds }).catch((e) =>
        log.warn('no receipt for a failed activity', { reason: e instanceof Error ? e.message : String(e) }),
      );
      throw err;
    }
    if (binds) await appendTo(this.deps.store, workflowExecution, events);
    const receipt = await this.receipt({
      outcome: 'completed',
      inputHash,
      outputHash: hashOf(output ?? null),
      decision: 'allow',
      policyIds,
    });
    // The receipt's number and hash go into the run's Temporal history with the result: an anchor outside the store.
    return { output, policy, receipt: { seq: receipt.seq, hash: receipt.hash } };
  }

  /** Records the signed receipt of this execution, under the run of the activity's own info. */
  private receipt(what: {
    outcome: Receipt['outcome'];
    inputHash: string;
    outputHash: string | null;
    decision: 'allow' | 'deny';
    policyIds: string[];
  }): Promise<Receipt> {
    const { activityType, activityId, attempt, workflowExecution } = this.ctx.info;
    return this.deps.store.receipts.record({
      campaignId: workflowExecution?.workflowId ?? 'unknown',
      runId: workflowExecution?.runId ?? 'unknown',
      activityType,
      activityId,
      attempt,
      outcome: what.outcome,
      inputHash: what.inputHash,
      outputHash: what.outputHash,
      policy: { decision: what.decision, policyIds: what.policyIds, policySetHash: this.deps.policies.policySetHash },
      worker: { identity: this.deps.identity, buildId: this.deps.code.buildId },
    });
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
 * and drops its audit events, the recorder's included, records no decision and no receipt, with no store, no policy
 * and no envelope around the result.
 * Nothing else may use it.
 */
export function ungovernedActivities(): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      execute: async (input, next) => {
        openCall(input);
        if (ctx.info.activityType === 'recordAudit') return { recorded: 0 };
        // Without receipts there is no plan to check a decision against; the bench's baseline records none.
        if (ctx.info.activityType === 'recordDecision') return { recorded: true };
        return next(input);
      },
    },
  });
}

function denied(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, Failure.PolicyDenied);
}
