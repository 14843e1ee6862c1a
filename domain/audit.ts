import type { ModelUsage } from './usage';

/** Who acted: an agent role, a person, or the workflow itself. */
export interface Actor {
  kind: 'agent' | 'person' | 'system';
  id: string;
  /** How the identity was established, e.g. `self-declared via Update`. */
  establishedBy: string;
}

/** The policy decision that let a tool call run: the agent, the tools checked, the deciding policies and the set. */
export interface PolicyRecord {
  agent: string;
  tools: string[];
  decision: 'allow';
  policyIds: string[];
  policySetHash: string;
  /** The context the policies saw (hashes, counts, the workflow type; never personal data), for what-if checks. */
  context?: Record<string, string | number | boolean | string[]>;
  /** The worker code that asked: its build id and git revision. */
  code?: { buildId: string; revision: string | null };
}

/**
 * An activity's result as the governance interceptor hands it to the workflow: the activity's own output and, beside
 * it, the policy decision that let it run. The workflow unwraps it in one place (`CampaignRun.step`), so the record
 * reaches the audit trail and nothing else: no later step's input and no model prompt.
 */
export interface Governed<T> {
  output: T;
  policy: PolicyRecord;
  /** The worker's signed receipt of this execution, by number and hash (absent in histories recorded before). */
  receipt?: { seq: number; hash: string };
}

/**
 * What a governed activity is called with when audit events ride along: its own input, and the events the store does
 * not have yet. The governance interceptor opens it in one place, records the events under the activity's own run, and
 * hands the activity its input alone.
 */
export interface GovernedCall<I> {
  input: I;
  audit: AuditEvent[];
}

/** One link of the hash-chained audit trail. */
export interface AuditEvent {
  seq: number;
  at: string;
  workflowId: string;
  runId: string;
  step: string;
  actor: Actor;
  action: string;
  outcome: 'ok' | 'refused' | 'failed';
  inputHash?: string;
  outputHash?: string;
  policy?: PolicyRecord;
  usage?: Omit<ModelUsage, 'latencyMs'>;
  model?: { provider: string; model: string; promptTemplateHash: string };
  /** Personal data kept from the model (counts per kind, never values), and found in its answer. */
  privacy?: { redacted: Partial<Record<string, number>>; foundInOutput: Partial<Record<string, number>> };
  detail?: Record<string, unknown>;
  prevHash: string;
  hash: string;
}
