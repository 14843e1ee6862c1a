import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, hashOf } from '../domain/hash';

/** What every campaign before RFC 8785 hashed and signed: JSON with object keys sorted, nothing at all as `null`. */
function sortedKeyJsonV1(value: unknown): string {
  return (
    JSON.stringify(value, (_key, inner: unknown) => {
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
        return Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      }
      return inner;
    }) ?? 'null'
  );
}

const historiesDir = path.join(__dirname, 'fixtures', 'histories');

/** Every JSON payload of every recorded history, decoded: inputs, results, Updates, markers, memos. */
function recordedPayloads(): unknown[] {
  const found: unknown[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const maybe = node as { metadata?: { encoding?: string }; data?: string };
    if (maybe.metadata?.encoding && typeof maybe.data === 'string') {
      if (Buffer.from(maybe.metadata.encoding, 'base64').toString() === 'json/plain') {
        found.push(JSON.parse(Buffer.from(maybe.data, 'base64').toString('utf8')));
      }
      return;
    }
    for (const child of Object.values(node)) visit(child);
  };
  for (const file of readdirSync(historiesDir).filter((f) => f.endsWith('.json'))) {
    visit(JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8')));
  }
  return found;
}

describe('canonical JSON (RFC 8785)', () => {
  it('serialises the RFC 8785 example: ECMAScript numbers, minimal string escapes, sorted keys', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 section 3.2.3 orders them', () => {
    const keys = ['\u20ac', '\r', '\ufb33', '1', '\ud83d\ude00', '\u0080', '\u00f6'];
    const text = canonicalJson(Object.fromEntries(keys.map((k) => [k, 0])));
    // Read back in text order: a parsed object would put the integer-like key "1" first again.
    const order = [...text.matchAll(/"((?:[^"\\]|\\.)*)":0/g)].map((m) => JSON.parse(`"${m[1]}"`));
    expect(order).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('refuses what is not JSON instead of hashing it as null', () => {
    expect(() => hashOf({ cost: Number.NaN })).toThrow(/NaN/);
    expect(() => hashOf({ cost: Number.POSITIVE_INFINITY })).toThrow(/Infinity/);
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('is byte for byte what earlier campaigns hashed, for every payload of every recorded history', () => {
    const payloads = recordedPayloads();
    expect(payloads.length).toBeGreaterThan(1000);
    const differing = payloads.filter((p) => canonicalJson(p) !== sortedKeyJsonV1(p));
    expect(differing).toEqual([]);
  });

  it('agrees with the earlier form on keys, strings and numbers nobody recorded', () => {
    const samples: unknown[] = [
      { 'ü-key': 1, Z: [0.1, -0, 5e-7, 1e21, 123456789012345680000], 'a\u0000b': 'tab\there', é: { '😀': 'x' } },
      ['\u2028\u2029', '\ud800', { b: null, a: [true, false, { d: '€', c: 'ß' }] }],
      { nested: { deeper: { deepest: [[], {}, '', 0] } } },
    ];
    for (const sample of samples) expect(canonicalJson(sample)).toBe(sortedKeyJsonV1(sample));
  });
});
