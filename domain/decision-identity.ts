import type { ApprovalPlan } from './campaign';
import type { Decision } from './decision';
import type { Person } from './knowledge';
import { loginOf } from './login';
import { attestationRefusal } from './login-attestation';
import { signatureRefusal } from './signatures';

/**
 * Why `decision` is not proven to be its approver's own, as the plan's trust says (their roster key, or their login
 * stamped by a trusted login service); null when it is, or when the plan requires no proof and none is given. The one
 * home of this rule: the Update validator, the recorder, the publisher and the auditor all ask it.
 */
export function identityRefusal(
  campaignId: string,
  decision: Decision,
  trust: ApprovalPlan['signatures'],
): string | null {
  if (decision.attestation) {
    return attestationRefusal(campaignId, decision, trust?.logins?.[decision.approver], trust?.attesters ?? {});
  }
  if (!trust?.required && !decision.signature) return null;
  return signatureRefusal(campaignId, decision, trust?.keys[decision.approver]);
}

/** What makes a decision unique, for "takes effect once": its signature or its attestation. */
export function proofOf(decision: Pick<Decision, 'signature' | 'attestation'>): string | undefined {
  return decision.signature?.value ?? decision.attestation?.value;
}

/**
 * What proves people's decisions according to today's roster (not a plan): their public keys, and their logins with
 * the trusted login service keys. For the worker side's second look and for auditors.
 */
export function rosterTrust(
  people: readonly Pick<Person, 'id' | 'publicKey' | 'login'>[],
  login: { issuer: string | undefined; attesters: Record<string, string> },
): NonNullable<ApprovalPlan['signatures']> {
  const keys = Object.fromEntries(people.flatMap((p) => (p.publicKey ? [[p.id, p.publicKey]] : [])));
  const logins = Object.fromEntries(
    people.flatMap((p) => {
      const l = loginOf(p, login.issuer);
      return l ? [[p.id, l]] : [];
    }),
  );
  return { required: true, keys, logins, attesters: login.attesters };
}
