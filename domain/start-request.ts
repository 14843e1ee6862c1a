import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { signature } from './decision';
import { canonicalJson } from './hash';
import { keyIdOf } from './signatures';

/**
 * The requester's signature over the start of a campaign: its id and the hash of its brief, by their roster key. The
 * planner verifies it before anything else; the run it binds is the campaign, and no other run of the id can use it.
 */
export const signedStartSchema = z
  .object({
    requestedAt: z.iso.datetime({ message: 'must be an ISO time' }),
    signature: signature.unwrap(),
  })
  .strict();

/** A requester's signed start. */
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
  const value = bytesToHex(ed25519.sign(startBytes(campaignId, briefHash, requestedBy, requestedAt), secret));
  return { requestedAt, signature: { keyId: keyIdOf(bytesToHex(ed25519.getPublicKey(secret))), value } };
}

/** Why `start` does not prove that `requestedBy` (key `publicKeyHex`) started `campaignId` with this brief; null when it does. */
export function startRefusal(
  campaignId: string,
  briefHash: string,
  requestedBy: string,
  start: SignedStart | undefined,
  publicKeyHex: string | undefined,
): string | null {
  if (!start) return `the start of ${campaignId} is not signed by ${requestedBy}: start it with \`npx campaign start\``;
  if (!publicKeyHex) return `${requestedBy} has no signing key in the roster, so the start cannot be verified`;
  if (start.signature.keyId !== keyIdOf(publicKeyHex)) {
    return `the start of ${campaignId} is signed with key ${start.signature.keyId}, not ${requestedBy}'s`;
  }
  try {
    const bytes = startBytes(campaignId, briefHash, requestedBy, start.requestedAt);
    if (ed25519.verify(hexToBytes(start.signature.value), bytes, hexToBytes(publicKeyHex))) return null;
  } catch {
    // An unreadable signature is a wrong one.
  }
  return `the start of ${campaignId} does not verify for ${requestedBy} (another brief, another id, or altered)`;
}
