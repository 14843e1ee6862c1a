import { ApplicationFailure, Context } from '@temporalio/activity';
import { approversWithBackups } from '../domain/approval-rules';
import type { ApprovalPlan } from '../domain/campaign';
import { Failure } from '../domain/failures';
import { hashOf } from '../domain/hash';
import { inboxToken } from '../domain/inbox';
import { loginOf } from '../domain/login';
import { startRefusal } from '../domain/start-request';
import type { PlanInput } from '../domain/step-inputs';
import { ApprovalPlanError, resolveApprovalPlan } from '../policies/approval-plan';
import { invalidBrief } from './data-store';
import type { ActivityDeps } from './deps';

/** The orchestrator's planning step: who may approve, and which run is the campaign. */
export function createPlanner({ data, inboxSecret, store, login }: ActivityDeps) {
  return {
    /**
     * Resolves the approval plan from the roster, verifies the requester's signed start (required where the brand
     * requires signed decisions), and binds this run to the campaign id: the first run with a valid start is the
     * campaign, any other run of the id is refused here and by every governed call after. The workflow fixes the plan.
     */
    async planCampaign({ brief, requestedBy, start }: PlanInput): Promise<ApprovalPlan> {
      const { workflowExecution } = Context.current().info;
      const campaignId = workflowExecution?.workflowId ?? 'unknown';
      const runId = workflowExecution?.runId ?? 'unknown';
      data.knowledgeBase(brief.brand);
      const segment = data.segment(brief.brand, brief.audience.segment);
      const governance = data.governance(brief.brand);
      let plan: ApprovalPlan;
      try {
        plan = resolveApprovalPlan(brief, requestedBy, data.roster(), segment, governance, login);
      } catch (err) {
        if (err instanceof ApprovalPlanError) throw invalidBrief(err.message);
        throw err;
      }
      const briefHash = hashOf(brief);
      const requester = data.roster().people.find((p) => p.id === requestedBy);
      const unverified = startRefusal(campaignId, briefHash, requestedBy, start, {
        publicKeyHex: requester?.publicKey,
        login: requester ? loginOf(requester, login.issuer) : undefined,
        attesters: login.attesters,
      });
      if (unverified && governance.requireSignedDecisions) {
        throw ApplicationFailure.nonRetryable(unverified, Failure.PolicyDenied);
      }
      const bound = await store.bindings.bind(campaignId, { runId, requestedBy, briefHash });
      if (bound.kind === 'taken') {
        throw ApplicationFailure.nonRetryable(
          `campaign ${campaignId} is run ${bound.by.runId}; run ${runId} is another campaign under the same id and may not proceed`,
          Failure.PolicyDenied,
        );
      }
      // The approvers' inbox tokens, so the workflow can list who may decide without naming anyone in search attributes.
      const inbox = Object.fromEntries(approversWithBackups(plan).map((id) => [id, inboxToken(inboxSecret, id)]));
      return { ...plan, inbox, briefHash, requester: { id: requestedBy, verified: unverified === null } };
    },
  };
}
