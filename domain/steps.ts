import type {
  BriefInput,
  PlanInput,
  PublishInput,
  ResearchInput,
  ReviewInput,
  WriteVariantsInput,
} from './step-inputs';

/** The tools agents can be granted; each is a Cedar action in `policies/`. */
export const TOOLS = [
  'roster.read',
  'kb.search',
  'crm.segment',
  'llm.generate',
  'content.review',
  'asset.publish',
  'audit.append',
  'notify.send',
] as const;

/** One of {@link TOOLS}. */
export type Tool = (typeof TOOLS)[number];

/** How an activity is timed and retried: local data, a model call, or the one write to the outbox. */
export type StepProfile = 'local' | 'model' | 'publish';

/** Everything the workflow, the governance interceptor and the audit trail need to know about one step. */
export interface StepSpec {
  /** The activity type that runs the step. */
  activity: string;
  /** The `CampaignStage` the campaign shows while the step runs. */
  stage: string;
  /** The agent role the step acts as, the Cedar principal. */
  agent: string;
  /** Every tool the interceptor asks the policies about before the activity runs. */
  tools: readonly Tool[];
  /** The tool the audit event names as the step's action; one of `tools`. */
  auditAction: Tool;
  profile: StepProfile;
  /** The part of the activity's input the audit event hashes. */
  auditedInput(input: never): unknown;
}

/**
 * The step catalogue: the one place a step's activity, stage, agent, tools and audit action are written down. The tool
 * grants are derived from it, the workflow runs steps by their names here, and the compiler ties each `activity` to
 * an activity the worker registers. Adding a step starts here.
 */
export const STEPS = {
  plan: {
    activity: 'planCampaign',
    stage: 'planning',
    agent: 'orchestrator',
    tools: ['roster.read'],
    auditAction: 'roster.read',
    profile: 'local',
    auditedInput: (input: PlanInput) => input.brief,
  },
  research: {
    activity: 'researchFacts',
    stage: 'researching',
    agent: 'researcher',
    tools: ['kb.search', 'crm.segment', 'llm.generate'],
    auditAction: 'kb.search',
    profile: 'model',
    auditedInput: (input: ResearchInput) => input.brief,
  },
  brief: {
    activity: 'draftCreativeBrief',
    stage: 'briefing',
    agent: 'strategist',
    tools: ['llm.generate'],
    auditAction: 'llm.generate',
    profile: 'model',
    auditedInput: (input: BriefInput) => input.research,
  },
  variants: {
    activity: 'writeVariants',
    stage: 'writing',
    agent: 'copywriter',
    tools: ['llm.generate'],
    auditAction: 'llm.generate',
    profile: 'model',
    auditedInput: ({ creativeBrief, feedback }: WriteVariantsInput) => ({ creativeBrief, feedback }),
  },
  review: {
    activity: 'reviewVariants',
    stage: 'reviewing',
    agent: 'reviewer',
    tools: ['content.review', 'llm.generate'],
    auditAction: 'content.review',
    profile: 'model',
    auditedInput: (input: ReviewInput) => input.variants,
  },
  publish: {
    activity: 'publishCampaign',
    stage: 'publishing',
    agent: 'publisher',
    tools: ['asset.publish'],
    auditAction: 'asset.publish',
    profile: 'publish',
    auditedInput: (input: PublishInput) => input.approval,
  },
} as const satisfies Record<string, StepSpec>;

/**
 * Activities that are not steps of the campaign but serve it: no stage, no audit event of their own. `recordAudit`
 * hands the audit store the events that no later step will carry (at the end of a campaign); `recordDecision` records
 * a decision the moment a gate accepts it.
 */
export const SUPPORT_ACTIVITIES = {
  recordAudit: { agent: 'recorder', tools: ['audit.append'] },
  recordDecision: { agent: 'recorder', tools: ['audit.append'] },
  notifyApprovers: { agent: 'notifier', tools: ['notify.send'] },
  notifyPeople: { agent: 'notifier', tools: ['notify.send'] },
} as const satisfies Record<string, { agent: string; tools: readonly Tool[] }>;

/** The name of a support activity. */
export type SupportActivity = keyof typeof SUPPORT_ACTIVITIES;

/** A step's name, as the audit trail and the usage report show it. */
export type StepName = keyof typeof STEPS;

/** The activity type behind step `S`. */
export type StepActivity<S extends StepName = StepName> = (typeof STEPS)[S]['activity'];

/** Every agent role that acts in some step or support activity. */
export type Agent = (typeof STEPS)[StepName]['agent'] | (typeof SUPPORT_ACTIVITIES)[SupportActivity]['agent'];

/** {@link Agent} as a list: every role the policies can be asked about. */
export const AGENTS: readonly Agent[] = [
  ...new Set([
    ...Object.values(STEPS).map((s) => s.agent as Agent),
    ...Object.values(SUPPORT_ACTIVITIES).map((s) => s.agent as Agent),
  ]),
];

/** The agents that call a model: each has a prompt template in `prompts/` and settings in `config/models.yaml`. */
export type ModelAgent = {
  [S in StepName]: 'llm.generate' extends (typeof STEPS)[S]['tools'][number] ? (typeof STEPS)[S]['agent'] : never;
}[StepName];

/** {@link ModelAgent} as a list, in catalogue order. */
export const MODEL_AGENTS: readonly ModelAgent[] = [
  ...new Set(
    Object.values(STEPS)
      .filter((step) => (step.tools as readonly Tool[]).includes('llm.generate'))
      .map((step) => step.agent as ModelAgent),
  ),
];

/** The stages a campaign moves through, as the `CampaignStage` search attribute shows them. */
export type Stage =
  | (typeof STEPS)[StepName]['stage']
  | 'awaiting-approval'
  | 'awaiting-budget'
  | 'published'
  | 'rejected'
  | 'failed';
