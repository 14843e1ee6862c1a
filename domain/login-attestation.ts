import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Decision } from './decision';
import { DSSE, decisionStatement, envelopeSignedBytes, LOGIN_DECISION_PREDICATE } from './decision-envelope';
import { ed25519PublicKey, signEd25519, verifyEd25519 } from './ed25519';
import { canonicalJson } from './hash';
import type { Attesters, Login } from './login';
import { keyIdOf, signedFields } from './signatures';

function attestedBytes(campaignId: string, decision: Decision, login: Login, envelope?: string): Uint8Array {
  const fields = { ...signedFields(campaignId, decision), login };
  if (envelope === DSSE) {
    return envelopeSignedBytes(decisionStatement(LOGIN_DECISION_PREDICATE, campaignId, decision.contentHash, fields));
  }
  return utf8ToBytes(canonicalJson(fields));
}

/** The login service's signature over `bytes`, with its secret key (hex), and the id of its key. */
export function signWithLoginKey(bytes: Uint8Array, secretKeyHex: string): { keyId: string; value: string } {
  const secret = hexToBytes(secretKeyHex);
  return {
    keyId: keyIdOf(bytesToHex(ed25519PublicKey(secret))),
    value: bytesToHex(signEd25519(bytes, secret)),
  };
}

/** Whether `value` is the signature of login service key `publicKeyHex` over `bytes`; false when unreadable. */
export function verifiesWithLoginKey(value: string, bytes: Uint8Array, publicKeyHex: string): boolean {
  try {
    return verifyEd25519(hexToBytes(value), bytes, hexToBytes(publicKeyHex));
  } catch {
    return false;
  }
}

/**
 * Stamps `decision` on `campaignId` as made by `login`, with the login service's secret key (hex); with `envelope:
 * 'dsse'`, over the decision's in-toto statement in a DSSE envelope (where the campaign's build verifies those).
 */
export function attestDecision(
  campaignId: string,
  decision: Decision,
  login: Login,
  secretKeyHex: string,
  options: { envelope?: typeof DSSE } = {},
): Decision {
  const stamp = signWithLoginKey(attestedBytes(campaignId, decision, login, options.envelope), secretKeyHex);
  return {
    ...decision,
    attestation: { ...login, ...stamp, ...(options.envelope ? { envelope: options.envelope } : {}) },
  };
}

/**
 * Why `decision`'s attestation does not prove that `expected` (the approver's login as the plan fixed it) made it, as
 * it stands, for `campaignId`, stamped by a login service the deployment trusts; null when it does. Pure JavaScript,
 * so the Update validator, the recorder, the publisher and an offline verifier check it alike.
 */
export function attestationRefusal(
  campaignId: string,
  decision: Decision,
  expected: Login | undefined,
  attesters: Attesters,
): string | null {
  const { attestation, approver } = decision;
  if (!attestation) return 'decision.attestation: missing';
  if (!expected) return `${approver} has no login in the roster, so a decision by login cannot be theirs`;
  if (attestation.issuer !== expected.issuer || attestation.subject !== expected.subject) {
    return `decision.attestation: made for another login than ${approver}'s`;
  }
  const key = attesters[attestation.keyId];
  if (!key) return `decision.attestation: stamped by ${attestation.keyId}, which is not a trusted login service key`;
  if (decision.campaignId !== undefined && decision.campaignId !== campaignId) {
    return `decision.campaignId: made for campaign ${decision.campaignId}, not this one`;
  }
  const login = { issuer: attestation.issuer, subject: attestation.subject };
  return verifiesWithLoginKey(attestation.value, attestedBytes(campaignId, decision, login, attestation.envelope), key)
    ? null
    : `decision.attestation: does not verify for ${approver} on this campaign (altered, or made for another)`;
}
