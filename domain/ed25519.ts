import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';

/**
 * Ed25519 signatures (RFC 8032), the one place the project signs and verifies with them. Workflow code runs in
 * Temporal's sandbox, which has no `node:crypto` and evaluates every module afresh for each campaign, so the default is
 * `@noble/ed25519`: one small file, nothing computed up front (`@noble/curves`, which it replaced here, brought in
 * x25519, hash-to-curve, FROST and OPRF with it, about 300 KB evaluated and kept per cached campaign). A Node process
 * (workers, the CLI's evidence commands) installs its platform's implementation with {@link useEd25519}, some fifty
 * times faster. Both refuse what RFC 8032's strict rule refuses (non-canonical encodings, S ≥ L) and keys of small
 * order; noble checks the cofactored equation where OpenSSL checks the cofactorless one, which differ only for a
 * signature its own signer crafted to differ, and then the worker side (OpenSSL) refuses: closed, not open.
 */
export interface Ed25519 {
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /** False for a signature that does not verify, and for a malformed signature or key. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  publicKey(secretKey: Uint8Array): Uint8Array;
}

// The synchronous calls need SHA-512; @noble/hashes is in the bundle for SHA-256 already.
ed.hashes.sha512 = sha512;

/** `@noble/ed25519`, pure JavaScript: what workflow code has. */
export const NOBLE_ED25519: Ed25519 = {
  sign: (message, secretKey) => ed.sign(message, secretKey),
  verify: (signature, message, publicKey) => {
    try {
      return ed.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
  publicKey: (secretKey) => ed.getPublicKey(secretKey),
};

let implementation: Ed25519 = NOBLE_ED25519;

/** Makes `impl` the implementation every signature in this process goes through. */
export function useEd25519(impl: Ed25519): void {
  implementation = impl;
}

export const signEd25519 = (message: Uint8Array, secretKey: Uint8Array): Uint8Array =>
  implementation.sign(message, secretKey);
export const verifyEd25519 = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean =>
  implementation.verify(signature, message, publicKey);
export const ed25519PublicKey = (secretKey: Uint8Array): Uint8Array => implementation.publicKey(secretKey);
