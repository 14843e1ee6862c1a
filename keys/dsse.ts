import { hexToBytes } from '@noble/hashes/utils.js';
import { dsse } from '@sigstore/core';
import { verifyEd25519 } from '../domain/ed25519';
import { canonicalJson } from '../domain/hash';

/** The payload type of an in-toto statement in a DSSE envelope. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** A DSSE envelope (https://github.com/secure-systems-lab/dsse), as cosign and in-toto tools read it. */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** Whoever signs statements: an Ed25519 key, by its id. */
export type StatementSigner = (bytes: Uint8Array) => { keyId: string; signature: Uint8Array };

/**
 * Signs `statement` into a DSSE envelope: the payload is the statement in RFC 8785 canonical JSON, the
 * signature covers DSSE's pre-authentication encoding of type and payload (`@sigstore/core`).
 */
export function signStatement(statement: Record<string, unknown>, sign: StatementSigner): DsseEnvelope {
  const payload = Buffer.from(canonicalJson(statement), 'utf8');
  const { keyId, signature } = sign(dsse.preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload));
  return {
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    payload: payload.toString('base64'),
    signatures: [{ keyid: keyId, sig: Buffer.from(signature).toString('base64') }],
  };
}

/** What an envelope holds once its signature checks: the statement, and the key that signed it. */
export type OpenedEnvelope = { ok: true; keyId: string; statement: unknown } | { ok: false; problem: string };

/**
 * Opens `envelope` when one of its signatures is by a key in `trusted` (key id → Ed25519 public key, hex) over exactly
 * its type and payload; otherwise says why not.
 */
export function openEnvelope(envelope: unknown, trusted: Record<string, string>): OpenedEnvelope {
  const env = envelope as Partial<DsseEnvelope> | null;
  if (!env || env.payloadType !== IN_TOTO_PAYLOAD_TYPE || typeof env.payload !== 'string') {
    return { ok: false, problem: 'no signed marking (a DSSE envelope of an in-toto statement)' };
  }
  const payload = Buffer.from(env.payload, 'base64');
  const signature = (Array.isArray(env.signatures) ? env.signatures : []).find((s) => trusted[s?.keyid]);
  if (!signature) return { ok: false, problem: 'the marking is signed by no trusted key' };
  let valid = false;
  try {
    const pae = dsse.preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload);
    valid = verifyEd25519(Buffer.from(signature.sig, 'base64'), pae, hexToBytes(trusted[signature.keyid] ?? ''));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, problem: "the marking's signature does not verify (altered, or swapped)" };
  try {
    return { ok: true, keyId: signature.keyid, statement: JSON.parse(payload.toString('utf8')) };
  } catch {
    return { ok: false, problem: "the marking's payload is not JSON" };
  }
}
