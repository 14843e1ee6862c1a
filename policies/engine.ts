// Before cedar-wasm: see wasm-call-guard.ts for the V8 abort it prevents.
import './wasm-call-guard';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { hashOf } from '../domain/hash';

/** A request to call a tool: which agent, which tool, on which campaign, with what context. */
export interface ToolRequest {
  agent: string;
  tool: string;
  campaignId: string;
  context: Record<string, string | number | boolean | string[]>;
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
  /** The hash of the policy files in force now. */
  readonly policySetHash: string;
  decide(request: ToolRequest): PolicyDecision;
}

/** One parse of the policy folder, registered with Cedar under its own id. */
interface LoadedSet {
  id: string;
  hash: string;
  fingerprint: string;
}

/**
 * Loads every `*.cedar` file in `dir` once (each policy is named `<file>#<@id>`) and hands Cedar the parsed set, so
 * a decision costs a lookup instead of a parse of the whole policy text. At most every `recheckEveryMs` it looks
 * whether a file changed and loads the folder again; if the new files do not load, every request is denied until they
 * do (fail closed), and the reason says so.
 */
export function loadPolicyEngine(
  dir: string,
  options: { recheckEveryMs?: number; schema?: string } = {},
): PolicyEngine {
  const recheckEveryMs = options.recheckEveryMs ?? 2000;
  let current = loadSet(dir, fingerprintOf(dir), options.schema);
  let brokenBy: { fingerprint: string; problem: string } | null = null;
  let checkedAt = Date.now();

  function refresh(): void {
    if (Date.now() - checkedAt < recheckEveryMs) return;
    checkedAt = Date.now();
    const fingerprint = fingerprintOf(dir);
    if (fingerprint === current.fingerprint || fingerprint === brokenBy?.fingerprint) return;
    try {
      current = loadSet(dir, fingerprint, options.schema);
      brokenBy = null;
    } catch (err) {
      brokenBy = { fingerprint, problem: err instanceof Error ? err.message : String(err) };
    }
  }

  return {
    get policySetHash() {
      return current.hash;
    },
    decide(request) {
      refresh();
      const policySetHash = current.hash;
      if (brokenBy) {
        return {
          kind: 'deny',
          reasons: [`the policy files changed and no longer load: ${brokenBy.problem}`],
          policyIds: [],
          policySetHash,
        };
      }
      const answer = cedar.statefulIsAuthorized({
        principal: { type: 'Agent', id: request.agent },
        action: { type: 'Action', id: request.tool },
        resource: { type: 'Campaign', id: request.campaignId },
        context: request.context,
        preparsedPolicySetId: current.id,
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

/**
 * Reads, parses, validates (against `schema`, when given) and registers the policy files; throws
 * {@link PolicyLoadError} naming the first problem.
 */
function loadSet(dir: string, fingerprint: string, schema?: string): LoadedSet {
  const files = policyFiles(dir);
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
  if (schema) validate(staticPolicies, schema);
  const hash = hashOf(sources);
  const id = `policies-${hash}`;
  const parsed = cedar.preparsePolicySet(id, { staticPolicies });
  if (parsed.type === 'failure') throw new PolicyLoadError(parsed.errors.map((e) => e.message).join('; '));
  return { id, hash, fingerprint };
}

/** Strict Cedar validation: a policy naming an attribute, tool or type the schema does not have stops the load. */
function validate(staticPolicies: Record<string, string>, schema: string): void {
  const answer = cedar.validate({ validationSettings: { mode: 'strict' }, schema, policies: { staticPolicies } });
  if (answer.type === 'failure')
    throw new PolicyLoadError(`the schema does not load: ${answer.errors.map((e) => e.message).join('; ')}`);
  const first = answer.validationErrors[0];
  if (first) {
    const more = answer.validationErrors.length > 1 ? ` (and ${answer.validationErrors.length - 1} more)` : '';
    throw new PolicyLoadError(`${first.policyId} does not validate against the schema: ${first.error.message}${more}`);
  }
}

function policyFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cedar'))
    .sort();
}

/** Names, sizes and modification times of the policy files: what tells a worker that they changed. */
function fingerprintOf(dir: string): string {
  try {
    return policyFiles(dir)
      .map((file) => {
        const { size, mtimeMs } = statSync(join(dir, file));
        return `${file}:${size}:${mtimeMs}`;
      })
      .join('|');
  } catch (err) {
    return `unreadable: ${err instanceof Error ? err.message : String(err)}`;
  }
}
