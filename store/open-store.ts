import { existsSync, readFileSync } from 'node:fs';
import type { DatabaseSettings } from '../config/settings';
import { ensureWorkerKey } from '../keys/worker-keys';
import { DatabaseError } from './database-error';
import { type GovernanceStore, openGovernanceStore } from './governance-store';

/**
 * The governance store's URL: `CAMPAIGN_DATABASE_URL`, else the local stack's (the file `campaign dev` writes beside
 * its PostgreSQL data); neither is one clear line.
 */
export function databaseUrl(settings: DatabaseSettings): string {
  if (settings.url) return settings.url;
  if (existsSync(settings.localUrlFile)) return readFileSync(settings.localUrlFile, 'utf8').trim();
  throw new DatabaseError(
    'no governance database: set CAMPAIGN_DATABASE_URL (see docs/operations.md), or start the local stack with `npm start` or `npx campaign dev`',
  );
}

/** The store as a worker uses it: its URL from the settings, checkpoints signed with this machine's trusted key. */
export async function openWorkerStore(settings: {
  database: DatabaseSettings;
  demo: boolean;
}): Promise<GovernanceStore> {
  const { database, demo } = settings;
  const key = ensureWorkerKey(database.workerKeyFile, database.workerKeysFile, { demo });
  return openGovernanceStore(databaseUrl(database), key);
}

/** The store for reading (the CLI, auditors): no worker key is needed or made; nothing it signs. */
export async function openReadingStore(settings: { database: DatabaseSettings }): Promise<GovernanceStore> {
  // Reading never appends: a store without a key, which refuses to sign anything.
  return openGovernanceStore(databaseUrl(settings.database), null);
}
