import type { AuditEvent } from '../domain/audit';
import {
  DECISION_PREDICATE,
  DSSE,
  decisionStatement,
  IN_TOTO_JSON,
  LOGIN_DECISION_PREDICATE,
  statementPayload,
} from '../domain/decision-envelope';
import { canonicalJson } from '../domain/hash';
import type { Roster } from '../domain/knowledge';
import { signedFields } from '../domain/signatures';
import type { DsseEnvelope } from '../keys/dsse';
import { decisionOf } from './evidence';
import { ed25519PublicKeyPem } from './pack-attestations';

/** Where a pack keeps the approved content as the bytes its content hash is the SHA-256 of (RFC 8785 JSON). */
export const APPROVED_CONTENT_FILE = 'content/variants.json';

/**
 * The decisions the trail records that were signed (or stamped for a login) in a DSSE envelope, as standalone
 * envelopes an auditor checks with any DSSE or in-toto tool: `decisions/<seq>-<approver>.dsse.json`, beside the
 * signer's public key as `….pub.pem` (the roster's key, or the login service key). Decisions in the original format
 * have no envelope to give, and are checked by `audit verify` alone.
 */
export function decisionEnvelopeFiles(
  campaignId: string,
  events: readonly AuditEvent[],
  roster: Roster,
  attesters: Record<string, string>,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const event of events) {
    const decision = decisionOf(event);
    if (!decision) continue;
    const fields = signedFields(campaignId, decision);
    const { signature, attestation } = decision;
    let made: { predicateType: string; predicate: object; keyId: string; value: string; publicKey?: string } | null =
      null;
    if (signature?.envelope === DSSE) {
      const publicKey = roster.people.find((p) => p.id === decision.approver)?.publicKey;
      made = {
        predicateType: DECISION_PREDICATE,
        predicate: fields,
        ...signature,
        ...(publicKey ? { publicKey } : {}),
      };
    } else if (attestation?.envelope === DSSE) {
      const login = { issuer: attestation.issuer, subject: attestation.subject };
      const publicKey = attesters[attestation.keyId];
      made = {
        predicateType: LOGIN_DECISION_PREDICATE,
        predicate: { ...fields, login },
        keyId: attestation.keyId,
        value: attestation.value,
        ...(publicKey ? { publicKey } : {}),
      };
    }
    if (!made) continue;
    const statement = decisionStatement(made.predicateType, campaignId, decision.contentHash, made.predicate);
    const envelope: DsseEnvelope = {
      payloadType: IN_TOTO_JSON,
      payload: Buffer.from(statementPayload(statement)).toString('base64'),
      signatures: [{ keyid: made.keyId, sig: Buffer.from(made.value, 'hex').toString('base64') }],
    };
    const name = `decisions/${event.seq}-${decision.approver}`;
    files[`${name}.dsse.json`] = `${JSON.stringify(envelope, null, 2)}\n`;
    if (made.publicKey) files[`${name}.pub.pem`] = ed25519PublicKeyPem(made.publicKey);
  }
  return files;
}

/** The approved content as the exact bytes its content hash covers, so a decision's subject digest names a file. */
export function approvedContentFile(variants: unknown): string {
  return canonicalJson(variants);
}
