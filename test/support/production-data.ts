import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { PROJECT_ROOT } from '../../config/paths';
import { keyringSchema, rosterSchema } from '../../domain/knowledge';
import { KEYRING_FILE } from '../../keys/signing-keys';

/**
 * A data folder as production has it: the examples (today's, or those of `examples`, another release's), with each
 * person's public key from `keyDir`'s keyring written into the roster itself, the one trust root a worker reads outside
 * the demo.
 */
export function productionDataDir(keyDir: string, examples = resolve(PROJECT_ROOT, 'examples')): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'production-data-'));
  cpSync(examples, dataDir, { recursive: true });
  const keyring = keyringSchema.parse(parse(readFileSync(join(keyDir, KEYRING_FILE), 'utf8')));
  const rosterFile = join(dataDir, 'roster.yaml');
  const roster = rosterSchema.parse(parse(readFileSync(rosterFile, 'utf8')));
  const people = roster.people.map((p) => (keyring.keys[p.id] ? { ...p, publicKey: keyring.keys[p.id] } : p));
  writeFileSync(rosterFile, stringify({ ...roster, people }));
  return dataDir;
}
