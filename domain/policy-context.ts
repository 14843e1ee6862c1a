import { STEPS, SUPPORT_ACTIVITIES, type Tool } from './steps';

/** A Cedar type of a context attribute. */
type CedarType = 'String' | 'Long' | 'Bool' | 'Set<String>';

/**
 * What a policy can see beside agent, tool and campaign: one home for the attribute names and types, from which the
 * Cedar schema is generated and against which the policies are validated when a worker starts.
 */
export const POLICY_CONTEXT = {
  /** The type of the workflow that called, from the activity's own info. */
  workflowType: { type: 'String', required: true },
  /** The brief's channels and consent purpose, and the risk its audience carries. */
  channels: { type: 'Set<String>', required: false },
  purpose: { type: 'String', required: false },
  risk: { type: 'String', required: false },
  /** Kinds of personal data kept from the models so far (from the redaction counts in the stored trail). */
  dataClasses: { type: 'Set<String>', required: true },
  /** Model spend so far and what is left of the campaign's budget, in euro cents. */
  spentCents: { type: 'Long', required: true },
  budgetLeftCents: { type: 'Long', required: false },
  /** Retrieved facts or brief passages flagged as instructions aimed at the model. */
  injectionsFlagged: { type: 'Long', required: true },
  /** Publishing: the evidence established outside the workflow (see `publish-evidence.ts`). */
  contentHash: { type: 'String', required: false },
  approvedContentHash: { type: 'String', required: false },
  verifiedApprovals: { type: 'Long', required: false },
  requiredApprovals: { type: 'Long', required: false },
  requiredSignerPresent: { type: 'Bool', required: false },
  /** Publishing: the content is proven by receipts of this run, each step from the one before, the review clean. */
  contentProven: { type: 'Bool', required: false },
} as const satisfies Record<string, { type: CedarType; required: boolean }>;

/** Every tool a policy can decide on: those of the steps and of the support activities. */
export const POLICY_TOOLS: readonly Tool[] = [
  ...new Set([
    ...Object.values(STEPS).flatMap((s) => s.tools),
    ...Object.values(SUPPORT_ACTIVITIES).flatMap((s) => s.tools),
  ]),
];

/** The Cedar schema (human-readable format) the policies are validated against. */
export function cedarSchemaText(): string {
  const attributes = Object.entries(POLICY_CONTEXT)
    .map(([name, { type, required }]) => `  ${name}${required ? '' : '?'}: ${type}`)
    .join(',\n');
  return [
    '// Generated from domain/steps.ts and domain/policy-context.ts; do not edit.',
    'entity Agent;',
    'entity Campaign;',
    `type ToolContext = {\n${attributes}\n};`,
    `action ${POLICY_TOOLS.map((t) => JSON.stringify(t)).join(', ')} appliesTo {`,
    '  principal: Agent,',
    '  resource: Campaign,',
    '  context: ToolContext',
    '};',
    '',
  ].join('\n');
}
