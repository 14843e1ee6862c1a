import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import type { Decision } from './decision';
import { canonicalJson } from './hash';
import { keyIdOf, signedFields } from './signatures';

/** A person's identity at the company's OpenID provider: who issued it and the subject it names. */
export interface Login {
  issuer: string;
  subject: string;
}

/**
 * What the login service (the codec server) says when it stamps a decision typed by a logged-in person: whose login
 * it verified, with its key. It covers the decision's own signed fields (campaign, run, plan, content hash, decision,
 * approver, time, note) and the login, so it is worth nothing on another campaign, run, content or person.
 */
export const attestationSchema = z
  .object({
    issuer: z.string().min(1).max(500),
    subject: z.string().min(1).max(255),
    keyId: z.string().regex(/^ed25519:[0-9a-f]{16}$/, 'must be a login service key id'),
    value: z.string().regex(/^[0-9a-f]{128}$/, 'must be 128 hex digits'),
  })
  .strict();
export type Attestation = z.infer<typeof attestationSchema>;

/** The login service keys a deployment trusts (key id → Ed25519 public key, hex). */
export type Attesters = Record<string, string>;

function attestedBytes(campaignId: string, decision: Decision, login: Login): Uint8Array {
  return utf8ToBytes(canonicalJson({ ...signedFields(campaignId, decision), login }));
}

/** Stamps `decision` on `campaignId` as made by `login`, with the login service's secret key (hex). */
export function attestDecision(campaignId: string, decision: Decision, login: Login, secretKeyHex: string): Decision {
  const secret = hexToBytes(secretKeyHex);
  const value = bytesToHex(ed25519.sign(attestedBytes(campaignId, decision, login), secret));
  const keyId = keyIdOf(bytesToHex(ed25519.getPublicKey(secret)));
  return { ...decision, attestation: { ...login, keyId, value } };
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
  let valid = false;
  try {
    const login = { issuer: attestation.issuer, subject: attestation.subject };
    valid = ed25519.verify(hexToBytes(attestation.value), attestedBytes(campaignId, decision, login), hexToBytes(key));
  } catch {
    valid = false;
  }
  return valid
    ? null
    : `decision.attestation: does not verify for ${approver} on this campaign (altered, or made for another)`;
}

/** A roster person's login, with the deployment's issuer where the roster names none; undefined without a login. */
export function loginOf(
  person: { login?: { subject: string; issuer?: string | undefined } | undefined },
  defaultIssuer: string | undefined,
): Login | undefined {
  const issuer = person.login?.issuer ?? defaultIssuer;
  return person.login && issuer ? { issuer, subject: person.login.subject } : undefined;
}
