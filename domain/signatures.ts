import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import type { BudgetDecision } from './budget-decision';
import type { Decision } from './decision';
import { DECISION_PREDICATE, DSSE, decisionStatement, envelopeSignedBytes } from './decision-envelope';
import { ed25519PublicKey, signEd25519, verifyEd25519 } from './ed25519';
import { canonicalJson } from './hash';

/** How long a signed decision stays fresh: one that reaches the campaign later than this after signing is refused. */
export const DECISION_FRESH_MS = 5 * 60_000;
/** Clock skew tolerated for a decision signed "in the future". */
export const DECISION_SKEW_MS = 60_000;

/** The fields an approver signs: which campaign, which content, what they decided, who, when, and their note. */
export interface SignedFields {
  campaignId: string;
  contentHash: string;
  decision: Decision['decision'];
  approver: string;
  decidedAt: string;
  note: string;
}

/** The note of a decision (comment, reason or feedback), part of what is signed. */
export function noteOf(decision: Decision): string | undefined {
  switch (decision.decision) {
    case 'approve':
      return decision.comment;
    case 'reject':
      return decision.reason;
    case 'request-changes':
      return decision.feedback;
    default:
      return decision satisfies never;
  }
}

/**
 * The exact bytes an approver signs for `decision` on campaign `campaignId` (canonical JSON, UTF-8). A decision that
 * names its run and plan (campaigns from the receipts patch on) signs those too; one that does not is signed and
 * verified as before, so every earlier signature still verifies.
 */
export function signedBytes(campaignId: string, decision: Decision): Uint8Array {
  const fields = signedFields(campaignId, decision);
  if (decision.signature?.envelope === DSSE) {
    return envelopeSignedBytes(decisionStatement(DECISION_PREDICATE, campaignId, decision.contentHash, fields));
  }
  return utf8ToBytes(canonicalJson(fields));
}

/** The fields {@link signedBytes} holds: what an approver's signature, or a login's attestation, covers. */
export function signedFields(
  campaignId: string,
  decision: Decision,
): SignedFields & { runId?: string; planHash?: string } {
  return {
    campaignId,
    contentHash: decision.contentHash,
    decision: decision.decision,
    approver: decision.approver,
    decidedAt: decision.decidedAt ?? '',
    note: noteOf(decision) ?? '',
    ...(decision.runId !== undefined || decision.planHash !== undefined
      ? { runId: decision.runId ?? '', planHash: decision.planHash ?? '' }
      : {}),
  };
}

/**
 * Why a decision is not bound to run `runId` and the plan of hash `planHash`, when the campaign requires that binding;
 * null when it is. A decision signed for another run of the id, or for another plan, has no effect here.
 */
export function bindingRefusal(
  decision: Pick<Decision, 'runId' | 'planHash'>,
  runId: string,
  planHash: string,
): string | null {
  if (decision.runId === undefined || decision.planHash === undefined) {
    return 'decision.runId and decision.planHash: required for this campaign (sign it again with `npx campaign sign`)';
  }
  if (decision.runId !== runId)
    return `decision.runId: made for run ${decision.runId}, not this campaign's run ${runId}`;
  if (decision.planHash !== planHash) return "decision.planHash: made for another approval plan than this campaign's";
  return null;
}

/** A public key's id as the audit trail names it: `ed25519:` and 16 hex digits of its SHA-256. */
export function keyIdOf(publicKeyHex: string): string {
  return `ed25519:${bytesToHex(sha256(hexToBytes(publicKeyHex))).slice(0, 16)}`;
}

/**
 * Signs `decision` for `campaignId` with a 32-byte Ed25519 secret key (hex); returns the decision with its signature.
 * With `envelope: 'dsse'` the signature is over the decision's in-toto statement in a DSSE envelope (for campaigns
 * whose build says it verifies those, see `decisionEnvelopesQuery`); else over the signed fields as before.
 */
export function signDecision(
  campaignId: string,
  decision: Decision,
  secretKeyHex: string,
  options: { envelope?: typeof DSSE } = {},
): Decision {
  const secret = hexToBytes(secretKeyHex);
  const keyId = keyIdOf(bytesToHex(ed25519PublicKey(secret)));
  const format = options.envelope ? { envelope: options.envelope } : {};
  const unsigned = { ...decision, signature: { keyId, value: '', ...format } } as Decision;
  const value = bytesToHex(signEd25519(signedBytes(campaignId, unsigned), secret));
  return { ...decision, signature: { keyId, value, ...format } };
}

/** The public key (hex) of a secret key (hex). */
export function publicKeyOf(secretKeyHex: string): string {
  return bytesToHex(ed25519PublicKey(hexToBytes(secretKeyHex)));
}

/**
 * Why `decision`'s signature does not prove that the holder of `publicKeyHex` made it, as it stands, for `campaignId`;
 * null when it does. Pure JavaScript, so the workflow's Update validator, the publisher and an offline verifier all
 * check it the same way. Whether it arrived in time is {@link freshnessRefusal}'s question.
 */
export function signatureRefusal(
  campaignId: string,
  decision: Decision,
  publicKeyHex: string | undefined,
): string | null {
  const { approver, signature, decidedAt } = decision;
  if (!publicKeyHex) return `${approver} has no signing key in the roster, so their decision cannot be verified`;
  if (!signature || !decidedAt) {
    return `decision.signature: required for this campaign; sign it with \`npx campaign sign ${campaignId} --as ${approver}\``;
  }
  if (signature.keyId !== keyIdOf(publicKeyHex)) {
    return `decision.signature: made with key ${signature.keyId}, not ${approver}'s key ${keyIdOf(publicKeyHex)}`;
  }
  let valid = false;
  try {
    valid = verifyEd25519(hexToBytes(signature.value), signedBytes(campaignId, decision), hexToBytes(publicKeyHex));
  } catch {
    valid = false;
  }
  return valid
    ? null
    : `decision.signature: does not verify for ${approver} on this campaign (altered, or made for another)`;
}

/** Why a decision made at `decidedAt` is too old (or too far ahead) to take effect at `now`; null when fresh. */
export function freshnessRefusal(decidedAt: string, now: number): string | null {
  // Fails closed: with no clock to compare against, both comparisons below would pass.
  if (!Number.isFinite(now)) return 'no time to check the decision against; it did not take effect';
  const at = Date.parse(decidedAt);
  if (Number.isNaN(at)) return 'decision.decidedAt: not a time';
  if (now - at > DECISION_FRESH_MS) {
    return `decision made at ${decidedAt} arrived more than ${DECISION_FRESH_MS / 60_000} minutes later; it did not take effect: decide again`;
  }
  if (at - now > DECISION_SKEW_MS) return `decision.decidedAt: ${decidedAt} is in the future; check the clock`;
  return null;
}

/** The exact bytes an approver signs for a budget decision on `campaignId`. */
export function budgetSignedBytes(campaignId: string, decision: BudgetDecision): Uint8Array {
  return utf8ToBytes(
    canonicalJson({
      campaignId,
      kind: 'budget',
      decision: decision.decision,
      approver: decision.approver,
      maxCostEur: decision.decision === 'raise' ? decision.maxCostEur : null,
      reason: decision.decision === 'stop' ? decision.reason : null,
      decidedAt: decision.decidedAt,
      ...(decision.runId !== undefined || decision.planHash !== undefined
        ? { runId: decision.runId ?? '', planHash: decision.planHash ?? '' }
        : {}),
    }),
  );
}

/** Signs a budget decision for `campaignId` with a secret key (hex). */
export function signBudgetDecision(campaignId: string, decision: BudgetDecision, secretKeyHex: string): BudgetDecision {
  const secret = hexToBytes(secretKeyHex);
  const value = bytesToHex(signEd25519(budgetSignedBytes(campaignId, decision), secret));
  return { ...decision, signature: { keyId: keyIdOf(bytesToHex(ed25519PublicKey(secret))), value } };
}

/** Why a budget decision's signature does not prove `publicKeyHex`'s holder made it for `campaignId`; null when it does. */
export function budgetSignatureRefusal(
  campaignId: string,
  decision: BudgetDecision,
  publicKeyHex: string | undefined,
): string | null {
  const { approver, signature } = decision;
  if (!publicKeyHex) return `${approver} has no signing key in the roster, so their decision cannot be verified`;
  if (!signature)
    return `decision.signature: required; sign it with \`npx campaign budget ${campaignId} --as ${approver}\``;
  if (signature.keyId !== keyIdOf(publicKeyHex))
    return `decision.signature: made with key ${signature.keyId}, not ${approver}'s`;
  try {
    if (verifyEd25519(hexToBytes(signature.value), budgetSignedBytes(campaignId, decision), hexToBytes(publicKeyHex)))
      return null;
  } catch {
    // An unreadable signature is a wrong one.
  }
  return `decision.signature: does not verify for ${approver} on this campaign`;
}

/** A worker's signing key (hex secret) as a signer: its id, its public key, and Ed25519 signatures over bytes. */
export function workerSigner(secretKeyHex: string): {
  keyId: string;
  publicKeyHex: string;
  sign(bytes: Uint8Array): { keyId: string; signature: Uint8Array };
} {
  const publicKeyHex = publicKeyOf(secretKeyHex);
  const keyId = keyIdOf(publicKeyHex);
  const secret = hexToBytes(secretKeyHex);
  return { keyId, publicKeyHex, sign: (bytes) => ({ keyId, signature: signEd25519(bytes, secret) }) };
}
