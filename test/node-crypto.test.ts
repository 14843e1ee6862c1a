import * as ed from '@noble/ed25519';
import { describe, expect, it } from 'vitest';
import { type Ed25519, NOBLE_ED25519 } from '../domain/ed25519';
import { NOBLE_SHA256 } from '../domain/hash';
import { NODE_ED25519, NODE_SHA256 } from '../keys/node-crypto';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
// RFC 8032, 7.1, TEST 1 (the empty message).
const SECRET = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const SIGNATURE =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const message = new TextEncoder().encode('approve sha256:ab12');

/** The same signature with S + L in place of S: the same point equation, a second encoding (malleability). */
function withNonCanonicalS(signature: Uint8Array): Uint8Array {
  let s = 0n;
  for (let i = 31; i >= 0; i--) s = (s << 8n) + BigInt(signature[32 + i] ?? 0);
  const out = new Uint8Array(signature);
  for (let i = 0; i < 32; i++) out[32 + i] = Number(((s + L) >> BigInt(8 * i)) & 0xffn);
  return out;
}

// The identity point as a public key, and a signature of R = identity, S = 0: it satisfies the verification equation
// for every message.
const SMALL_ORDER_KEY = hex(`01${'00'.repeat(31)}`);
const IDENTITY_SIGNATURE = new Uint8Array(64);
IDENTITY_SIGNATURE[0] = 1;

describe.each([
  ['@noble/ed25519 (workflow code)', NOBLE_ED25519],
  ["Node's crypto (workers, CLI)", NODE_ED25519],
] as [string, Ed25519][])('Ed25519 through %s', (_name, impl) => {
  it("gives RFC 8032's public key and signature", () => {
    expect(toHex(impl.publicKey(SECRET))).toBe(PUBLIC);
    expect(toHex(impl.sign(new Uint8Array(), SECRET))).toBe(SIGNATURE);
    expect(impl.verify(hex(SIGNATURE), new Uint8Array(), hex(PUBLIC))).toBe(true);
  });

  it("verifies the other implementation's signature and refuses it over other bytes", () => {
    const other = impl === NODE_ED25519 ? NOBLE_ED25519 : NODE_ED25519;
    const signature = other.sign(message, SECRET);
    expect(impl.verify(signature, message, hex(PUBLIC))).toBe(true);
    expect(impl.verify(signature, new TextEncoder().encode('approve sha256:ab13'), hex(PUBLIC))).toBe(false);
    const flipped = new Uint8Array(signature);
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    expect(impl.verify(flipped, message, hex(PUBLIC))).toBe(false);
  });

  it('refuses a second encoding of a valid signature (S + L)', () => {
    expect(impl.verify(withNonCanonicalS(impl.sign(message, SECRET)), message, hex(PUBLIC))).toBe(false);
  });

  it('refuses a key of small order, with which a signature of the identity verifies for any message', () => {
    expect(impl.verify(IDENTITY_SIGNATURE, message, SMALL_ORDER_KEY)).toBe(false);
  });

  it('answers false, without throwing, for malformed signatures and keys', () => {
    const signature = impl.sign(message, SECRET);
    expect(impl.verify(signature.slice(1), message, hex(PUBLIC))).toBe(false);
    expect(impl.verify(signature, message, hex(PUBLIC).slice(1))).toBe(false);
    expect(impl.verify(new Uint8Array(64).fill(0xff), message, hex(PUBLIC))).toBe(false);
  });
});

describe('the verification rule both implementations apply', () => {
  it('is stricter than the permissive defaults each had: both accepted the small-order forgery', async () => {
    // What the two say without the rule: noble's default (ZIP-215, what @noble/curves verified by here before) and
    // OpenSSL as it is.
    expect(ed.verify(IDENTITY_SIGNATURE, message, SMALL_ORDER_KEY)).toBe(true);
    const { createPublicKey, verify } = await import('node:crypto');
    const key = createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), SMALL_ORDER_KEY]),
      format: 'der',
      type: 'spki',
    });
    expect(verify(null, message, key, IDENTITY_SIGNATURE)).toBe(true);
  });
});

describe('SHA-256 through Node and through @noble/hashes', () => {
  it('gives the same digest for every text, the empty one, non-ASCII and long ones included', () => {
    const texts = [
      '',
      'abc',
      'Ökostrom für Lena Vogel 🌱',
      'x'.repeat(100_000),
      JSON.stringify({ a: [1, 2, { b: 'ß' }] }),
    ];
    for (const text of texts) expect(NODE_SHA256(text)).toBe(NOBLE_SHA256(text));
    expect(NODE_SHA256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
