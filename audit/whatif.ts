import type { AuditEvent } from '../domain/audit';
import type { PolicyEngine } from '../policies/engine';

/** A recorded tool call whose decision a proposed policy set would change. */
export interface ChangedDecision {
  campaignId: string;
  seq: number;
  step: string;
  agent: string;
  tool: string;
  recorded: 'allow';
  proposed: 'deny';
  reasons: string[];
}

/**
 * Re-decides every tool call the trails recorded (agent, tool and the context the policies saw) under `proposed`
 * and lists each call that would now be denied. Calls recorded before contexts were kept are re-decided with an
 * empty context, which the report says.
 */
export function policyWhatIf(trails: { campaignId: string; events: AuditEvent[] }[], proposed: PolicyEngine) {
  const changed: ChangedDecision[] = [];
  let calls = 0;
  let withoutContext = 0;
  for (const { campaignId, events } of trails) {
    for (const event of events) {
      const policy = event.policy;
      if (!policy) continue;
      if (!policy.context) withoutContext += 1;
      for (const tool of policy.tools) {
        calls += 1;
        const decision = proposed.decide({ agent: policy.agent, tool, campaignId, context: policy.context ?? {} });
        if (decision.kind === 'deny') {
          changed.push({
            campaignId,
            seq: event.seq,
            step: event.step,
            agent: policy.agent,
            tool,
            recorded: 'allow',
            proposed: 'deny',
            reasons: decision.reasons,
          });
        }
      }
    }
  }
  return { campaigns: trails.length, calls, withoutContext, changed, proposedPolicySetHash: proposed.policySetHash };
}
