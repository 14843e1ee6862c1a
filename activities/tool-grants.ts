import {
  type Agent,
  STEPS,
  type StepActivity,
  SUPPORT_ACTIVITIES,
  type SupportActivity,
  type Tool,
} from '../domain/steps';
import type { DataStore } from './data-store';
import type { Activities } from './index';
import { publishEvidence } from './publish-evidence';

/** The context a Cedar policy sees beside agent, tool and campaign. */
export type PolicyContext = Record<string, string | number | boolean>;

/** Who is calling, as the activity's own info says (never its input), and the data to check evidence against. */
export interface GrantCall {
  campaignId: string;
  workflowType: string;
  data: DataStore;
}

/** The agent role and tools behind one activity type, and how to build the context the policy sees. */
export interface ToolGrant {
  agent: Agent;
  tools: readonly Tool[];
  /** The policy context for this call, and notes on discounted evidence for a denial message. */
  context(input: unknown, call: GrantCall): { context: PolicyContext; notes: string[] };
}

/** Policy context per activity; only publishing needs more than the calling workflow's type. */
const CONTEXT: Partial<Record<StepActivity, ToolGrant['context']>> = {
  publishCampaign: (input, call) => {
    // Established here, outside the workflow, so a caller that makes up approvals or content is refused.
    const { problems, ...evidence } = publishEvidence(input, call.campaignId, call.data);
    return { context: { ...evidence, workflowType: call.workflowType }, notes: problems };
  },
};

const caller: ToolGrant['context'] = (_input, call) => ({ context: { workflowType: call.workflowType }, notes: [] });

/** Every activity the worker runs, with the agent and tools the step catalogue gives it; anything else is denied. */
const GRANTS: ReadonlyMap<string, ToolGrant> = new Map([
  ...Object.values(STEPS).map((step): [string, ToolGrant] => [
    step.activity,
    { agent: step.agent, tools: step.tools, context: CONTEXT[step.activity] ?? caller },
  ]),
  ...Object.entries(SUPPORT_ACTIVITIES).map(([activity, grant]): [string, ToolGrant] => [
    activity,
    { agent: grant.agent, tools: grant.tools, context: caller },
  ]),
]);

/** The grant for an activity type, or undefined for one the catalogue does not know (the interceptor denies it). */
export function grantFor(activityType: string): ToolGrant | undefined {
  return GRANTS.get(activityType);
}

/**
 * Compile-time tie between the catalogue and the worker: this fails to type-check when an activity has no step in
 * the catalogue (it would be denied at run time) or a step names an activity the worker does not register.
 */
export const CATALOGUE_COVERS_EVERY_ACTIVITY: SameKeys<keyof Activities, StepActivity | SupportActivity> = true;

type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
