import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import canonicalize from 'canonicalize';

/**
 * The canonical JSON every hash and signature of this project covers: RFC 8785 (JSON Canonicalization Scheme), by the
 * kept `canonicalize` implementation; nothing at all (`undefined`) is `null`. For every JSON value this is byte for
 * byte what campaigns before it hashed (object keys sorted by UTF-16 code units, ECMAScript number and string
 * serialisation; `test/canonical-json.test.ts` holds the two together over every recorded history), so everything
 * signed or hashed before still verifies. A value that is not JSON (NaN, Infinity) is refused rather than hashed.
 */
export const CANONICAL_JSON = 'RFC 8785 (JCS)';

export function canonicalJson(value: unknown): string {
  return canonicalize(value) ?? 'null';
}

/** SHA-256 of a text's UTF-8, in hex. */
export type Sha256Hex = (text: string) => string;

/** `@noble/hashes`, pure JavaScript: what workflow code has (its sandbox has no `node:crypto`). */
export const NOBLE_SHA256: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));

let sha256Hex: Sha256Hex = NOBLE_SHA256;

/** Makes `impl` the SHA-256 every hash of this process goes through (workers and the CLI install Node's). */
export function useSha256(impl: Sha256Hex): void {
  sha256Hex = impl;
}

/** SHA-256 of the canonical JSON of `value`, in hex; pure JS by default, so safe inside the workflow sandbox. */
export function hashOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
