import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { Point } from '@noble/ed25519';
import { boundedCache } from '../domain/bounded-cache';
import { type Ed25519, useEd25519 } from '../domain/ed25519';
import { type Sha256Hex, useSha256 } from '../domain/hash';

// RFC 8410's DER wrappings of a raw 32-byte Ed25519 key: PKCS #8 for a secret, SubjectPublicKeyInfo for a public one.
const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
/** Keys made once and kept: a worker signs with one key and verifies a roster's worth. */
const CACHE_LIMIT = 1024;

/** Key objects by their raw bytes, made once per key. */
function keyCache(make: (raw: Buffer) => KeyObject): (raw: Uint8Array) => KeyObject {
  const keys = boundedCache<KeyObject>(CACHE_LIMIT);
  return (raw) => keys.get(Buffer.from(raw).toString('hex'), (id) => make(Buffer.from(id, 'hex')));
}

const privateKey = keyCache((raw) => {
  if (raw.length !== 32) throw new Error('an Ed25519 secret key is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8, raw]), format: 'der', type: 'pkcs8' });
});
const publicKey = keyCache((raw) => {
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  // OpenSSL accepts a key of small order (with which a signature of the identity verifies for any message) and
  // encodings that are not canonical; RFC 8032's strict rule, which the workflow's implementation applies, does not.
  // Checked once per key, as the key is made.
  if (Point.fromBytes(raw, false).isSmallOrder()) throw new Error('an Ed25519 public key of small order');
  return createPublicKey({ key: Buffer.concat([SPKI, raw]), format: 'der', type: 'spki' });
});

/** The raw public key of a secret key: receipts and checkpoints name their signer's key with every signature. */
const publicKeys = boundedCache<Buffer>(CACHE_LIMIT);
const publicKeyOf = (secretKey: Uint8Array): Buffer =>
  publicKeys.get(Buffer.from(secretKey).toString('hex'), () =>
    createPublicKey(privateKey(secretKey)).export({ format: 'der', type: 'spki' }).subarray(SPKI.length),
  );

/** Ed25519 through Node's OpenSSL, which verifies by RFC 8032's rule as the workflow's implementation does. */
export const NODE_ED25519: Ed25519 = {
  sign: (message, secretKey) => new Uint8Array(sign(null, message, privateKey(secretKey))),
  verify: (signature, message, key) => {
    if (signature.length !== 64) return false;
    try {
      return verify(null, message, publicKey(key), signature);
    } catch {
      return false;
    }
  },
  publicKey: (secretKey) => new Uint8Array(publicKeyOf(secretKey)),
};

/** SHA-256 through Node's OpenSSL: about five times the pure-JavaScript speed on a step's input. */
export const NODE_SHA256: Sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Signs, verifies and hashes through Node's crypto from here on, in this process (workers, and the CLI's evidence
 * commands); workflow code, in its sandbox, keeps the pure-JavaScript implementations.
 */
export function useNodeCrypto(): void {
  useEd25519(NODE_ED25519);
  useSha256(NODE_SHA256);
}
