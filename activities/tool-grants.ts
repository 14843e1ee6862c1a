import { hashOf } from '../domain/hash';
import type { PublishInput } from '../domain/step-inputs';
import { type Agent, STEPS, type StepActivity, type Tool } from '../domain/steps';
import type { Activities } from './index';

/** The context a Cedar policy sees beside agent, tool and campaign. */
export type PolicyContext = Record<string, string | number | boolean>;

/** The agent role and tools behind one activity type, and the context the policy sees. */
export interface ToolGrant {
  agent: Agent;
  tools: readonly Tool[];
  context(input: unknown): PolicyContext;
}

/** Policy context per activity; only publishing needs more than agent and tool. */
const CONTEXT: Partial<Record<StepActivity, (input: unknown) => PolicyContext>> = {
  publishCampaign: (input) => {
    const { variants, approval } = input as PublishInput;
    return {
      // Recomputed here, outside the workflow, so a package whose content differs from the approved one is refused.
      contentHash: hashOf(variants),
      approvedContentHash: approval.contentHash,
      approvals: new Set(approval.approvedBy).size,
      requiredApprovals: approval.requiredApprovals,
    };
  },
};

const none = (): PolicyContext => ({});

/** Every activity the worker runs, with the agent and tools the step catalogue gives it; anything else is denied. */
const GRANTS: ReadonlyMap<string, ToolGrant> = new Map(
  Object.values(STEPS).map((step) => [
    step.activity,
    { agent: step.agent, tools: step.tools, context: CONTEXT[step.activity] ?? none },
  ]),
);

/** The grant for an activity type, or undefined for one the catalogue does not know (the interceptor denies it). */
export function grantFor(activityType: string): ToolGrant | undefined {
  return GRANTS.get(activityType);
}

/**
 * Compile-time tie between the catalogue and the worker: this fails to type-check when an activity has no step in
 * the catalogue (it would be denied at run time) or a step names an activity the worker does not register.
 */
export const CATALOGUE_COVERS_EVERY_ACTIVITY: SameKeys<keyof Activities, StepActivity> = true;

type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
