import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { hashOf } from '../domain/hash';

/** A request to call a tool: which agent, which tool, on which campaign, with what context. */
export interface ToolRequest {
  agent: string;
  tool: string;
  campaignId: string;
  context: Record<string, string | number | boolean>;
}

/** The engine's answer, with the deciding policy ids and the policy set's hash for the audit trail. */
export type PolicyDecision =
  | { kind: 'allow'; policyIds: string[]; policySetHash: string }
  | { kind: 'deny'; reasons: string[]; policyIds: string[]; policySetHash: string };

/** Raised when the policy files cannot be read or parsed; the worker refuses to start (fail closed). */
export class PolicyLoadError extends Error {
  override readonly name = 'PolicyLoadError';
}

/** Evaluates tool requests against the Cedar policies in one folder. */
export interface PolicyEngine {
  readonly policySetHash: string;
  decide(request: ToolRequest): PolicyDecision;
}

/** Loads every `*.cedar` file in `dir`; each policy is named `<file>#<@id>`. */
export function loadPolicyEngine(dir: string): PolicyEngine {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cedar'))
    .sort();
  if (files.length === 0) throw new PolicyLoadError(`no *.cedar files in ${dir}`);
  const staticPolicies: Record<string, string> = {};
  const sources: Record<string, string> = {};
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    sources[file] = text;
    const parts = cedar.policySetTextToParts(text);
    if (parts.type === 'failure')
      throw new PolicyLoadError(`${file}: ${parts.errors.map((e) => e.message).join('; ')}`);
    parts.policies.forEach((policy, index) => {
      const json = cedar.policyToJson(policy);
      if (json.type === 'failure')
        throw new PolicyLoadError(`${file}: ${json.errors.map((e) => e.message).join('; ')}`);
      const id = json.json.annotations?.id;
      // Policies without an @id are named by position with "@", which no @id can collide with.
      const name = `${file.replace(/\.cedar$/, '')}#${id ?? `@${index}`}`;
      if (name in staticPolicies) throw new PolicyLoadError(`${file}: two policies share the id "${id}"`);
      staticPolicies[name] = policy;
    });
  }
  const policySetHash = hashOf(sources);
  return {
    policySetHash,
    decide(request) {
      const answer = cedar.isAuthorized({
        principal: { type: 'Agent', id: request.agent },
        action: { type: 'Action', id: request.tool },
        resource: { type: 'Campaign', id: request.campaignId },
        context: request.context,
        policies: { staticPolicies },
        entities: [],
      });
      if (answer.type === 'failure') {
        return { kind: 'deny', reasons: answer.errors.map((e) => e.message), policyIds: [], policySetHash };
      }
      const { decision, diagnostics } = answer.response;
      const policyIds = diagnostics.reason;
      const reasons = diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`);
      // Cedar skips a policy whose evaluation errors, so a failing forbid would let the call through: fail closed.
      if (decision === 'allow' && reasons.length === 0) return { kind: 'allow', policyIds, policySetHash };
      if (reasons.length === 0 && policyIds.length === 0) reasons.push('no policy permits it');
      if (decision === 'deny' && policyIds.length > 0) reasons.push(`forbidden by ${policyIds.join(', ')}`);
      return { kind: 'deny', reasons, policyIds, policySetHash };
    },
  };
}
