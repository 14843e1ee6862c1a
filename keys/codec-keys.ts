import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import type { CodecSettings } from '../config/settings';
import { describeProblem } from '../domain/problems';
import { KeyError } from './key-error';
import { assertPrivate } from './private-files';

/** The keys a codec encrypts and decrypts with: the current one, and every one old payloads may name. */
export interface CodecKeys {
  current: { id: string; key: Buffer };
  byId: ReadonlyMap<string, Buffer>;
  /** Where the keys came from, for messages (never the keys). */
  source: string;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const keyFileSchema = z
  .object({
    current: z.string().regex(KEY_ID, 'must be a key id (letters, digits, . _ -)'),
    keys: z.record(z.string().regex(KEY_ID, 'must be a key id'), z.string()),
  })
  .strict();

/**
 * The payload keys the settings name, or null when encryption is off:
 * - `CAMPAIGN_CODEC_KEYS="id1:BASE64,id2:BASE64"`: inline, the first is current;
 * - `CAMPAIGN_CODEC_KEY_FILE=PATH`: a YAML file `{ current: id, keys: { id: BASE64 } }`, readable by its owner only;
 *   `none` turns encryption off;
 * - otherwise the key folder's `codec-keys.yaml` when it exists (the one `npm start` makes).
 * Each key is 32 random bytes in base64. Anything malformed throws {@link KeyError}: no silent fallback to clear text.
 */
export function loadCodecKeys(settings: CodecSettings): CodecKeys | null {
  const inline = settings.inlineKeys?.trim();
  if (inline) {
    const entries = inline.split(',').map((entry, i) => {
      const at = entry.indexOf(':');
      if (at < 1) throw new KeyError(`CAMPAIGN_CODEC_KEYS: entry ${i + 1} is not ID:BASE64KEY`);
      return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()] as const;
    });
    return keysFrom(entries, entries[0]?.[0] ?? '', 'CAMPAIGN_CODEC_KEYS');
  }
  const named = settings.keyFile?.trim();
  if (named === 'none') return null;
  const file = named ? resolve(named) : settings.defaultKeyFile;
  if (!named && !existsSync(file)) return null;
  return readKeyFile(file);
}

/** Reads a key file; refuses one others can read. */
export function readKeyFile(file: string): CodecKeys {
  if (!assertPrivate(file)) throw new KeyError(`codec key file ${file} does not exist (CAMPAIGN_CODEC_KEY_FILE)`);
  const parsed = keyFileSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new KeyError(`codec key file ${file}: ${describeProblem(parsed.error, 'file', 'dotted')}`);
  }
  return keysFrom(Object.entries(parsed.data.keys), parsed.data.current, file);
}

/**
 * Makes `file` with one new key if it does not exist, or adds a new current key to it (rotation: old keys stay, so
 * payloads written with them still decrypt). Returns the new key's id.
 */
export function addCodecKey(file: string, now = new Date()): string {
  const existing = existsSync(file) ? readKeyFile(file) : null;
  const id = `k${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
  if (existing?.byId.has(id)) throw new KeyError(`a key '${id}' already exists in ${file}; wait a second`);
  const keys = Object.fromEntries([...(existing?.byId ?? new Map())].map(([k, v]) => [k, v.toString('base64')]));
  keys[id] = randomBytes(32).toString('base64');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(
    file,
    `# Payload encryption keys (AES-256-GCM). Keep this file secret; every worker and client of the namespace needs it.\n${stringify({ current: id, keys })}`,
    { mode: 0o600 },
  );
  chmodSync(file, 0o600);
  return id;
}

function keysFrom(entries: readonly (readonly [string, string])[], current: string, source: string): CodecKeys {
  const byId = new Map<string, Buffer>();
  for (const [id, encoded] of entries) {
    if (!KEY_ID.test(id)) throw new KeyError(`${source}: '${id}' is not a key id (letters, digits, . _ -)`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32 || key.toString('base64') !== encoded.replace(/\s/g, '')) {
      throw new KeyError(`${source}: key '${id}' is not 32 bytes in base64 (\`openssl rand -base64 32\`)`);
    }
    if (byId.has(id)) throw new KeyError(`${source}: key id '${id}' appears twice`);
    byId.set(id, key);
  }
  const key = byId.get(current);
  if (!key) throw new KeyError(`${source}: the current key '${current}' is not among the keys`);
  return { current: { id: current, key }, byId, source };
}
