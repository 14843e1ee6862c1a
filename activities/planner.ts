import { approversWithBackups } from '../domain/approval-rules';
import type { ApprovalPlan } from '../domain/campaign';
import { inboxToken } from '../domain/inbox';
import type { PlanInput } from '../domain/step-inputs';
import { ApprovalPlanError, resolveApprovalPlan } from '../policies/approval-plan';
import { invalidBrief } from './data-store';
import type { ActivityDeps } from './deps';

/** The orchestrator's planning step. */
export function createPlanner({ data, inboxSecret }: ActivityDeps) {
  return {
    /** Resolves the approval plan from the roster; the workflow fixes it in history. */
    async planCampaign({ brief, requestedBy }: PlanInput): Promise<ApprovalPlan> {
      data.knowledgeBase(brief.brand);
      const segment = data.segment(brief.brand, brief.audience.segment);
      try {
        const plan = resolveApprovalPlan(brief, requestedBy, data.roster(), segment, data.governance(brief.brand));
        // The approvers' inbox tokens, so the workflow can list who may decide without naming anyone in search attributes.
        const people = approversWithBackups(plan);
        const inbox = Object.fromEntries(people.map((id) => [id, inboxToken(inboxSecret, id)]));
        return { ...plan, inbox };
      } catch (err) {
        if (err instanceof ApprovalPlanError) throw invalidBrief(err.message);
        throw err;
      }
    },
  };
}
