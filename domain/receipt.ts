import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { GENESIS_HASH } from './audit-verify';
import { ed25519PublicKey, signEd25519, verifyEd25519 } from './ed25519';
import { canonicalJson, hashOf } from './hash';
import { keyIdOf } from './signatures';

/**
 * What the worker side saw for one execution of a governed activity: for which run (from the activity's own info),
 * what went in and came out (hashes), what the policies decided, and which worker. Signed with the worker's key and
 * chained per run, so neither workflow code nor someone who can only write to the database can make one; what the
 * workflow reports is checked against these.
 */
export interface Receipt {
  campaignId: string;
  runId: string;
  seq: number;
  activityType: string;
  activityId: string;
  attempt: number;
  outcome: 'completed' | 'denied' | 'failed';
  /** Hash of the activity's input as the activity got it (its envelope opened). */
  inputHash: string;
  /** Hash of its output, when it completed. */
  outputHash: string | null;
  policy: { decision: 'allow' | 'deny'; policyIds: string[]; policySetHash: string };
  worker: { keyId: string; identity: string; buildId: string };
  at: string;
  prevHash: string;
  hash: string;
  signature: string;
}

/** A receipt as a governed activity's result names it (in the run's Temporal history): its number and hash. */
export interface ReceiptRef {
  seq: number;
  hash: string;
}

type Unsigned = Omit<Receipt, 'hash' | 'signature' | 'worker'> & { worker: Omit<Receipt['worker'], 'keyId'> };

/** Seals and signs a receipt with a worker's secret key (hex). */
export function signReceipt(fields: Unsigned, secretKeyHex: string): Receipt {
  const secret = hexToBytes(secretKeyHex);
  const keyId = keyIdOf(bytesToHex(ed25519PublicKey(secret)));
  const body = { ...fields, worker: { ...fields.worker, keyId } };
  const hash = hashOf(body);
  return { ...body, hash, signature: bytesToHex(signEd25519(utf8ToBytes(hash), secret)) };
}

/** Why `receipt` is not sealed and signed by one of `trustedKeys` (key id → public key hex); null when it is. */
export function receiptRefusal(receipt: Receipt, trustedKeys: Record<string, string>): string | null {
  const { hash, signature, ...body } = receipt;
  if (hashOf(body) !== hash) return `receipt ${receipt.seq} does not match its own hash`;
  const key = trustedKeys[receipt.worker.keyId];
  if (!key) return `receipt ${receipt.seq} is signed by ${receipt.worker.keyId}, which is not a trusted worker key`;
  try {
    if (verifyEd25519(hexToBytes(signature), utf8ToBytes(hash), hexToBytes(key))) return null;
  } catch {
    // An unreadable signature is a wrong one.
  }
  return `receipt ${receipt.seq}'s signature does not verify`;
}

/** The canonical JSON a receipt is stored as. */
export function receiptBody(receipt: Receipt): string {
  return canonicalJson(receipt);
}

/** A run's receipts that a trusted worker key made, in order, and why any others were left out. */
export interface TrustedReceipts {
  receipts: Receipt[];
  problems: string[];
}

/**
 * The receipts of one run that prove something: sealed, signed by a key of `trustedKeys`, numbered and chained
 * without a gap, and the run's own. Everything else (a forged row, a key nobody trusts) proves nothing and is named.
 * The one home of this rule: the publisher, the budget gate's raises and the auditor all use it.
 */
export function checkReceiptChain(
  all: readonly Receipt[],
  trustedKeys: Record<string, string>,
  campaignId: string,
  runId: string,
): TrustedReceipts {
  const problems: string[] = [];
  const receipts: Receipt[] = [];
  let prev = GENESIS_HASH;
  for (const [i, receipt] of all.entries()) {
    const problem =
      receiptRefusal(receipt, trustedKeys) ??
      (receipt.seq !== i + 1 || receipt.prevHash !== prev
        ? `receipt ${receipt.seq} does not continue the chain`
        : null) ??
      (receipt.campaignId !== campaignId || receipt.runId !== runId ? `receipt ${receipt.seq} is another run's` : null);
    prev = receipt.hash;
    if (problem) problems.push(problem);
    else receipts.push(receipt);
  }
  return { receipts, problems };
}
