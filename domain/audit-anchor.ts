import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { ed25519PublicKey, signEd25519, verifyEd25519 } from './ed25519';
import { canonicalJson } from './hash';
import { keyIdOf } from './signatures';

/**
 * The head of a campaign's stored audit trail, signed by the worker that appended the last event: anchors the chain
 * outside the workflow, so a trail rewritten with recomputed hashes, or cut short, no longer matches it.
 */
export interface Checkpoint {
  campaignId: string;
  /** The run whose trail it is (trails are per run since the receipts); absent in checkpoints made before. */
  runId?: string;
  /** Sequence number and hash of the last stored event. */
  seq: number;
  head: string;
  /** When the worker signed it (ISO 8601). */
  at: string;
  /** The worker's signing key, `ed25519:` and 16 hex digits. */
  keyId: string;
  /** Ed25519 signature (hex) over the canonical JSON of the fields above. */
  signature: string;
}

function checkpointBytes(c: Omit<Checkpoint, 'signature'>): Uint8Array {
  const { campaignId, runId, seq, head, at, keyId } = c;
  return utf8ToBytes(canonicalJson({ campaignId, ...(runId !== undefined ? { runId } : {}), seq, head, at, keyId }));
}

/** Signs a checkpoint with a worker's secret key (hex). */
export function signCheckpoint(fields: Omit<Checkpoint, 'keyId' | 'signature'>, secretKeyHex: string): Checkpoint {
  const secret = hexToBytes(secretKeyHex);
  const keyId = keyIdOf(bytesToHex(ed25519PublicKey(secret)));
  const unsigned = { ...fields, keyId };
  return { ...unsigned, signature: bytesToHex(signEd25519(checkpointBytes(unsigned), secret)) };
}

/** Why `checkpoint` is not a valid signature by one of `trustedKeys` (key id → public key hex); null when it is. */
export function checkpointRefusal(checkpoint: Checkpoint, trustedKeys: Record<string, string>): string | null {
  const key = trustedKeys[checkpoint.keyId];
  if (!key) return `checkpoint signed by ${checkpoint.keyId}, which is not a trusted worker key`;
  try {
    const valid = verifyEd25519(hexToBytes(checkpoint.signature), checkpointBytes(checkpoint), hexToBytes(key));
    return valid ? null : 'checkpoint signature does not verify';
  } catch {
    return 'checkpoint signature does not verify';
  }
}
