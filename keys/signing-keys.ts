import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { keyringSchema } from '../domain/knowledge';
import { describeProblem } from '../domain/problems';
import { keyIdOf, publicKeyOf } from '../domain/signatures';
import { KeyError } from './key-error';
import { assertPrivate, exists } from './private-files';

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
    throw new KeyError(`${person} already has a key at ${path}; remove it first to make a new one`);
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
  if (!assertPrivate(path)) return undefined;
  const secret = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(secret)) throw new KeyError(`${path} does not hold an Ed25519 key`);
  return secret;
}

function readKeyring(path: string): Record<string, string> {
  if (!exists(path)) return {};
  const parsed = keyringSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new KeyError(`${path} is not a keyring: ${describeProblem(parsed.error, 'file', 'dotted')}`);
  return parsed.data.keys;
}

/** Creates key pairs for those of `people` who have none in `dir` yet; returns whom it made keys for. */
export function provisionKeys(dir: string, people: readonly string[]): string[] {
  return people.filter((person) => {
    if (exists(privateKeyPath(dir, person))) return false;
    createKeyPair(dir, person);
    return true;
  });
}
