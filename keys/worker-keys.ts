import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { describeProblem } from '../domain/problems';
import { keyIdOf, publicKeyOf } from '../domain/signatures';
import { KeyError } from './key-error';
import { assertPrivate, exists } from './private-files';

/**
 * This worker's signing key for audit checkpoints (hex), from `keyFile`, made there on first use (mode 600). Its public
 * key must be in the deployment's trust list `trustFile`, which every machine and every auditor shares: with `demo`
 * (the local stack) it is added there, otherwise a worker whose key the list does not hold refuses to start, because
 * nothing it signed would verify anywhere else.
 */
export function ensureWorkerKey(keyFile: string, trustFile: string, options: { demo: boolean }): string {
  return ensureTrustedKey(keyFile, trustFile, {
    ...options,
    whose: "this worker's checkpoint key",
    setting: 'CAMPAIGN_WORKER_KEYS_FILE',
  });
}

/**
 * A signing key (hex) from `keyFile`, made there on first use (mode 600), whose public key the trust list `trustFile`
 * must hold: the demo adds it there, anything else refuses to start. For worker keys and the login service's key.
 */
export function ensureTrustedKey(
  keyFile: string,
  trustFile: string,
  options: { demo: boolean; whose: string; setting: string },
): string {
  ensureWorkerKeyFile(keyFile);
  assertPrivate(keyFile);
  const secret = readFileSync(keyFile, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(secret)) throw new KeyError(`${keyFile} does not hold an Ed25519 key`);
  const publicKey = publicKeyOf(secret);
  const keyId = keyIdOf(publicKey);
  const trusted = readTrustFile(trustFile);
  if (trusted[keyId] === publicKey) return secret;
  if (!options.demo) {
    throw new KeyError(
      `${options.whose} ${keyId} is not in the trust list ${trustFile}: add "${keyId}: ${publicKey}" ` +
        `under keys there (every machine and auditor needs the same list), or point ${options.setting} at it`,
    );
  }
  mkdirSync(dirname(trustFile), { recursive: true });
  const partial = `${trustFile}.${process.pid}.partial`;
  writeFileSync(
    partial,
    `# Trusted signing keys: key id -> Ed25519 public key.\n${stringify({ keys: { ...trusted, [keyId]: publicKey } })}`,
  );
  renameSync(partial, trustFile);
  return secret;
}

/** Makes a worker key at `keyFile` (mode 600) unless one is there; true when it made one. */
export function ensureWorkerKeyFile(keyFile: string): boolean {
  if (exists(keyFile)) return false;
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return true;
  } catch {
    // Another process made it first.
    return false;
  }
}

/** The public half of a worker key file, as a trust list entry: for `campaign keys worker`. */
export function workerKeyEntry(keyFile: string): { keyId: string; publicKey: string } {
  if (!assertPrivate(keyFile)) throw new KeyError(`no worker key at ${keyFile}`);
  const publicKey = publicKeyOf(readFileSync(keyFile, 'utf8').trim());
  return { keyId: keyIdOf(publicKey), publicKey };
}

/** A trust file of worker keys (key id → public key). */
export function readTrustFile(file: string): Record<string, string> {
  if (!exists(file)) return {};
  const parsed = workerKeysSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new KeyError(`${file} is not a list of worker keys: ${describeProblem(parsed.error, 'file', 'dotted')}`);
  return parsed.data.keys;
}

const workerKeysSchema = z.object({
  keys: z.record(z.string().regex(/^ed25519:[0-9a-f]{16}$/), z.string().regex(/^[0-9a-f]{64}$/)),
});
