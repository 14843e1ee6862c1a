import { utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from './hash';

// A decision signed in a standard envelope: an in-toto Statement v1 whose subject is the approved content (by its
// content hash, the SHA-256 of the variants' canonical JSON) and whose predicate is exactly the fields the earlier
// format signed, in a DSSE envelope. The approver's (or the login service's) Ed25519 signature covers DSSE's
// pre-authentication encoding of it, so any DSSE or in-toto verifier, cosign included, checks it with the signer's
// public key. Nothing bound before is left out; the statement adds the content as its subject.

/** How an envelope-signed decision says so: `signature.envelope` / `attestation.envelope`. */
export const DSSE = 'dsse';
export const IN_TOTO_JSON = 'application/vnd.in-toto+json';
export const DECISION_PREDICATE = 'https://governed-campaigns.dev/decision/v1';
export const LOGIN_DECISION_PREDICATE = 'https://governed-campaigns.dev/login-decision/v1';

/** DSSE's pre-authentication encoding (DSSE v1 protocol): what the signature covers, for `type` and `payload`. */
export function preAuthEncoding(type: string, payload: Uint8Array): Uint8Array {
  const head = utf8ToBytes(`DSSEv1 ${utf8ToBytes(type).length} ${type} ${payload.length} `);
  const bytes = new Uint8Array(head.length + payload.length);
  bytes.set(head);
  bytes.set(payload, head.length);
  return bytes;
}

/** The in-toto statement a decision's envelope carries: the content decided on, and the signed fields. */
export function decisionStatement(
  predicateType: string,
  campaignId: string,
  contentHash: string,
  predicate: object,
): Record<string, unknown> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: `${campaignId}/content`, digest: { sha256: contentHash } }],
    predicateType,
    predicate,
  };
}

/** The envelope's payload: the statement in canonical JSON (RFC 8785), as UTF-8. */
export function statementPayload(statement: Record<string, unknown>): Uint8Array {
  return utf8ToBytes(canonicalJson(statement));
}

/** What a signature in the envelope covers: the pre-authentication encoding of the statement's payload. */
export function envelopeSignedBytes(statement: Record<string, unknown>): Uint8Array {
  return preAuthEncoding(IN_TOTO_JSON, statementPayload(statement));
}
