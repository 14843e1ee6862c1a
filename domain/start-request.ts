import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { signature } from './decision';
import { ed25519PublicKey, signEd25519, verifyEd25519 } from './ed25519';
import { canonicalJson } from './hash';
import { type Attesters, attestationSchema, type Login } from './login';
import { signWithLoginKey, verifiesWithLoginKey } from './login-attestation';
import { keyIdOf } from './signatures';

/**
 * The requester's proof of the start of a campaign, over its id and the hash of its brief: their roster key's
 * signature (`campaign start`), or the login service's stamp for their login (Start Workflow in the UI, signed in).
 * The planner verifies it before anything else; the run it binds is the campaign, and no other run of the id can use it.
 */
export const signedStartSchema = z.union([
  z
    .object({
      requestedAt: z.iso.datetime({ message: 'must be an ISO time' }),
      signature: signature.unwrap(),
    })
    .strict(),
  z
    .object({
      requestedAt: z.iso.datetime({ message: 'must be an ISO time' }),
      attestation: attestationSchema,
    })
    .strict(),
]);

/** A requester's signed or login-stamped start. */
export type SignedStart = z.infer<typeof signedStartSchema>;

/** The exact bytes a requester signs to start campaign `campaignId` with the brief of hash `briefHash`. */
export function startBytes(
  campaignId: string,
  briefHash: string,
  requestedBy: string,
  requestedAt: string,
): Uint8Array {
  return utf8ToBytes(canonicalJson({ kind: 'start', campaignId, briefHash, requestedBy, requestedAt }));
}

/** Signs the start of `campaignId` with the brief of hash `briefHash` as `requestedBy`, with their secret key (hex). */
export function signStart(
  campaignId: string,
  briefHash: string,
  requestedBy: string,
  secretKeyHex: string,
  now = new Date(),
): SignedStart {
  const secret = hexToBytes(secretKeyHex);
  const requestedAt = now.toISOString();
  const value = bytesToHex(signEd25519(startBytes(campaignId, briefHash, requestedBy, requestedAt), secret));
  return { requestedAt, signature: { keyId: keyIdOf(bytesToHex(ed25519PublicKey(secret))), value } };
}

/** Stamps the start of `campaignId` with the brief of hash `briefHash` as `login`'s, who is roster person `requestedBy`. */
export function attestStart(
  campaignId: string,
  briefHash: string,
  requestedBy: string,
  login: Login,
  secretKeyHex: string,
  now = new Date(),
): SignedStart {
  const requestedAt = now.toISOString();
  const bytes = loginStartBytes(campaignId, briefHash, requestedBy, requestedAt, login);
  return { requestedAt, attestation: { ...login, ...signWithLoginKey(bytes, secretKeyHex) } };
}

/** What proves a start: the requester's roster key, or their login (as the roster names it) and the trusted stamps. */
export interface StartProof {
  publicKeyHex: string | undefined;
  login: Login | undefined;
  attesters: Attesters;
}

/** Why `start` does not prove that `requestedBy` started `campaignId` with this brief; null when it does. */
export function startRefusal(
  campaignId: string,
  briefHash: string,
  requestedBy: string,
  start: SignedStart | undefined,
  proof: StartProof,
): string | null {
  if (!start) {
    return (
      `the start of ${campaignId} is not signed by ${requestedBy}: start it with \`npx campaign start\`, or in the UI ` +
      'signed in, with {"campaignId": <the Workflow ID>, "brief": {...}} as input'
    );
  }
  if ('attestation' in start) return loginStartRefusal(campaignId, briefHash, requestedBy, start, proof);
  const { publicKeyHex } = proof;
  if (!publicKeyHex) return `${requestedBy} has no signing key in the roster, so the start cannot be verified`;
  if (start.signature.keyId !== keyIdOf(publicKeyHex)) {
    return `the start of ${campaignId} is signed with key ${start.signature.keyId}, not ${requestedBy}'s`;
  }
  try {
    const bytes = startBytes(campaignId, briefHash, requestedBy, start.requestedAt);
    if (verifyEd25519(hexToBytes(start.signature.value), bytes, hexToBytes(publicKeyHex))) return null;
  } catch {
    // An unreadable signature is a wrong one.
  }
  return `the start of ${campaignId} does not verify for ${requestedBy} (another brief, another id, or altered)`;
}

function loginStartRefusal(
  campaignId: string,
  briefHash: string,
  requestedBy: string,
  start: Extract<SignedStart, { attestation: unknown }>,
  { login, attesters }: StartProof,
): string | null {
  const { attestation } = start;
  if (!login) return `${requestedBy} has no login in the roster, so a start by login cannot be theirs`;
  if (attestation.issuer !== login.issuer || attestation.subject !== login.subject) {
    return `the start of ${campaignId} is stamped for another login than ${requestedBy}'s`;
  }
  const key = attesters[attestation.keyId];
  if (!key)
    return `the start of ${campaignId} is stamped by ${attestation.keyId}, which is not a trusted login service key`;
  const bytes = loginStartBytes(campaignId, briefHash, requestedBy, start.requestedAt, login);
  return verifiesWithLoginKey(attestation.value, bytes, key)
    ? null
    : `the start of ${campaignId} does not verify for ${requestedBy}'s login (another brief, another id, or altered)`;
}

function loginStartBytes(
  campaignId: string,
  briefHash: string,
  requestedBy: string,
  requestedAt: string,
  login: Login,
): Uint8Array {
  return utf8ToBytes(canonicalJson({ kind: 'start', campaignId, briefHash, requestedBy, requestedAt, login }));
}
