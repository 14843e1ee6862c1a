import { ed25519 } from '@noble/curves/ed25519.js';

/**
 * Ed25519 signatures (RFC 8032), the one place the project signs and verifies with them. Workflow code runs in
 * Temporal's sandbox, which has no `node:crypto`, so the default is `@noble/curves`; a Node process (workers, the CLI)
 * installs its platform's implementation with {@link useEd25519}, which is some fifty times faster. Both verify by
 * the same rule (RFC 8032's, not ZIP-215's more permissive one), so a signature one accepts the other accepts too.
 */
export interface Ed25519 {
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /** False for a signature that does not verify, and for a malformed signature or key. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  publicKey(secretKey: Uint8Array): Uint8Array;
}

// Workflow code gets a fresh copy of every module per campaign, so the curve's default precomputed tables (built on
// the first verification, about 20 ms) would be built again for each campaign's one or two signatures. Without them a
// verification costs a few milliseconds more, and nothing up front.
ed25519.Point.BASE.precompute(1, false);

/** `@noble/curves`, pure JavaScript: what workflow code has. */
export const NOBLE_ED25519: Ed25519 = {
  sign: (message, secretKey) => ed25519.sign(message, secretKey),
  verify: (signature, message, publicKey) => {
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
  publicKey: (secretKey) => ed25519.getPublicKey(secretKey),
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
