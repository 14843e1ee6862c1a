import { briefSchema, campaignBudget } from '../domain/brief';
import {
  type Agent,
  STEPS,
  type StepActivity,
  SUPPORT_ACTIVITIES,
  type SupportActivity,
  type Tool,
} from '../domain/steps';
import type { GovernanceStore } from '../store/governance-store';
import type { DataStore } from './data-store';
import type { Activities } from './index';
import { publishEvidence } from './publish-evidence';

/** The context a Cedar policy sees beside agent, tool and campaign (its attributes: `domain/policy-context.ts`). */
export type PolicyContext = Record<string, string | number | boolean | string[]>;

/** Who is calling, as the activity's own info says (never its input), and the data to check evidence against. */
export interface GrantCall {
  campaignId: string;
  runId: string;
  workflowType: string;
  data: DataStore;
  /** The governance store, whose facts already count the events this call brought. */
  store: Pick<GovernanceStore, 'facts' | 'bindings' | 'receipts' | 'decisions'>;
  /** The deployment's trust list of worker keys: whose receipts count as evidence. */
  trustedKeys: Record<string, string>;
}

/** The agent role and tools behind one activity type, and how to build the context the policy sees. */
export interface ToolGrant {
  agent: Agent;
  tools: readonly Tool[];
  /** The policy context for this call, and notes on discounted evidence for a denial message. */
  context(input: unknown, call: GrantCall): Promise<{ context: PolicyContext; notes: string[] }>;
}

/** Policy context per activity beyond what every call gets; publishing adds the evidence for its approval. */
const CONTEXT: Partial<Record<StepActivity, ToolGrant['context']>> = {
  publishCampaign: async (input, call) => {
    // Established here, outside the workflow, so a caller that makes up approvals or content is refused.
    const { problems, ...evidence } = await publishEvidence(input, call);
    const base = await campaignContext(input, call);
    return { context: { ...base.context, ...evidence }, notes: [...base.notes, ...problems] };
  },
};

/**
 * What every call's policies see: the calling workflow's type; the brief's channels, consent purpose and the risk its
 * segment carries (when the input holds a brief that validates); and, from the run's facts in the store (one row, kept
 * current as events and spend are recorded), the kinds of personal data kept from the models, the spend so far
 * against the budget, and the flagged injections.
 */
async function campaignContext(input: unknown, call: GrantCall): Promise<{ context: PolicyContext; notes: string[] }> {
  const facts = await call.store.facts(call.campaignId, call.runId);
  const spentCents = Math.round(facts.spentEur * 100);
  const context: PolicyContext = {
    workflowType: call.workflowType,
    dataClasses: [...facts.dataClasses],
    spentCents,
    injectionsFlagged: facts.injectionsFlagged,
  };
  const notes: string[] = [];
  const brief = briefSchema.safeParse((input as { brief?: unknown } | null)?.brief);
  if (brief.success) {
    const { channels, audience, brand } = brief.data;
    context.channels = [...channels];
    context.purpose = audience.purpose;
    try {
      context.risk = call.data.segment(brand, audience.segment).sensitive ? 'high' : 'standard';
      const budget = campaignBudget(brief.data, call.data.governance(brand).budget);
      context.budgetLeftCents = Math.round(budget.maxCostEur * 100) - spentCents;
    } catch {
      notes.push(`no risk or budget for brand '${brand}' and segment '${audience.segment}'`);
    }
  }
  return { context, notes };
}

const common: ToolGrant['context'] = campaignContext;

/** Every activity the worker runs, with the agent and tools the step catalogue gives it; anything else is denied. */
const GRANTS: ReadonlyMap<string, ToolGrant> = new Map([
  ...Object.values(STEPS).map((step): [string, ToolGrant] => [
    step.activity,
    { agent: step.agent, tools: step.tools, context: CONTEXT[step.activity] ?? common },
  ]),
  ...Object.entries(SUPPORT_ACTIVITIES).map(([activity, grant]): [string, ToolGrant] => [
    activity,
    { agent: grant.agent, tools: grant.tools, context: common },
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
