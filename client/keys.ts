import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { keyringSchema } from '../domain/knowledge';
import { keyIdOf, publicKeyOf } from '../domain/signatures';
import { ClientError } from './errors';

/** The public-key file beside the private keys: the demo's keyring, which the worker reads next to the roster. */
export const KEYRING_FILE = 'public-keys.yaml';

/** A person's new key pair, and where its parts were put. */
export interface CreatedKey {
  keyId: string;
  publicKey: string;
  privateKeyPath: string;
  keyringPath: string;
}

/** Where a person's private key lives in a key folder. */
export function privateKeyPath(dir: string, person: string): string {
  return join(dir, 'private', `${person}.key`);
}

/**
 * Creates an Ed25519 key pair for `person`: the private key in `<dir>/private/<person>.key`, readable by its owner
 * only, and the public key added to `<dir>/public-keys.yaml`. Refuses to replace an existing key.
 */
export function createKeyPair(dir: string, person: string): CreatedKey {
  const path = privateKeyPath(dir, person);
  if (exists(path)) {
    throw new ClientError('key', `${person} already has a key at ${path}; remove it first to make a new one`);
  }
  mkdirSync(join(dir, 'private'), { recursive: true, mode: 0o700 });
  chmodSync(join(dir, 'private'), 0o700);
  const secret = randomBytes(32).toString('hex');
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  const publicKey = publicKeyOf(secret);
  const keyringPath = join(dir, KEYRING_FILE);
  const keys = { ...readKeyring(keyringPath), [person]: publicKey };
  const partial = `${keyringPath}.${process.pid}.partial`;
  writeFileSync(
    partial,
    `# Public keys of locally generated signing keys (npx campaign keys new). Demo only: in production the roster\n# carries each person's publicKey.\n${stringify({ keys })}`,
  );
  renameSync(partial, keyringPath);
  return { keyId: keyIdOf(publicKey), publicKey, privateKeyPath: path, keyringPath };
}

/** The secret key (hex) of `person`, or undefined when they have none; refuses a key file others can read. */
export function loadSecretKey(dir: string, person: string): string | undefined {
  const path = privateKeyPath(dir, person);
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return undefined;
  }
  if ((mode & 0o077) !== 0) {
    throw new ClientError(
      'key',
      `${path} can be read by others (mode ${(mode & 0o777).toString(8)}); \`chmod 600 ${path}\` and try again`,
    );
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(secret)) throw new ClientError('key', `${path} does not hold an Ed25519 key`);
  return secret;
}

function readKeyring(path: string): Record<string, string> {
  if (!exists(path)) return {};
  const parsed = keyringSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new ClientError('key', `${path} is not a keyring: ${parsed.error.issues[0]?.message}`);
  return parsed.data.keys;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates key pairs for those of `people` who have none in `dir` yet; returns whom it made keys for. */
export function provisionKeys(dir: string, people: readonly string[]): string[] {
  return people.filter((person) => {
    if (exists(privateKeyPath(dir, person))) return false;
    createKeyPair(dir, person);
    return true;
  });
}

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
    throw new ClientError('key', `${file} is not a list of worker keys: ${parsed.error.issues[0]?.message}`);
  return parsed.data.keys;
}

const workerKeysSchema = z.object({
  keys: z.record(z.string().regex(/^ed25519:[0-9a-f]{16}$/), z.string().regex(/^[0-9a-f]{64}$/)),
});

/**
 * The deployment's inbox secret (hex), which turns roster ids into the opaque tokens of the `CampaignInbox` search
 * attribute: `CAMPAIGN_INBOX_SECRET`, else `<dir>/inbox.secret`, made on first use by a worker (owner-readable only).
 * Workers and the CLI of one deployment must share it; the CLI (`create: false`) refuses rather than make a secret of
 * its own, which would find nobody's campaigns.
 */
export function ensureInboxSecret(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
  options: { create: boolean } = { create: true },
): string {
  const given = env.CAMPAIGN_INBOX_SECRET?.trim();
  if (given) {
    if (!/^[0-9a-f]{32,}$/.test(given)) {
      throw new ClientError('key', 'CAMPAIGN_INBOX_SECRET: must be at least 32 hex digits (`openssl rand -hex 32`)');
    }
    return given;
  }
  const path = join(dir, 'inbox.secret');
  if (!exists(path) && !options.create) {
    throw new ClientError(
      'key',
      `no inbox secret in ${path}: set CAMPAIGN_INBOX_SECRET to the workers' secret, or point CAMPAIGN_KEY_DIR at their key folder`,
    );
  }
  if (!exists(path)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch {
      // Another process made it first; read theirs.
    }
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{32,}$/.test(secret)) throw new ClientError('key', `${path} does not hold an inbox secret`);
  return secret;
}
