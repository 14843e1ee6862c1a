import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { describeProblem } from '../domain/problems';
import { keyIdOf, publicKeyOf } from '../domain/signatures';
import { KeyError } from './key-error';
import { exists } from './private-files';

/** The trust list of worker keys that sign audit checkpoints: key id → public key. */
export const WORKER_KEYS_FILE = 'worker-keys.yaml';

/**
 * The worker's signing key for audit checkpoints, made on first use in `<dir>/worker/worker.key` (mode 600), with
 * its public key added to `<dir>/worker-keys.yaml`, the list an auditor trusts.
 */
export function ensureWorkerKey(dir: string): string {
  const path = join(dir, 'worker', 'worker.key');
  if (!exists(path)) {
    mkdirSync(join(dir, 'worker'), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  }
  const secret = readFileSync(path, 'utf8').trim();
  const publicKey = publicKeyOf(secret);
  const trusted = readTrustedWorkerKeys(dir);
  const keyId = keyIdOf(publicKey);
  if (trusted[keyId] !== publicKey) {
    const file = join(dir, WORKER_KEYS_FILE);
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(
      partial,
      `# Worker keys that sign audit checkpoints: key id -> Ed25519 public key. An auditor trusts these.\n${stringify({ keys: { ...trusted, [keyId]: publicKey } })}`,
    );
    renameSync(partial, file);
  }
  return secret;
}

/** The trusted worker keys in `dir` (key id → public key), or none. */
export function readTrustedWorkerKeys(dir: string): Record<string, string> {
  return readTrustFile(join(dir, WORKER_KEYS_FILE));
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
