import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { nearestId } from '../activities/brief-check';
import { createFileDataStore, type DataStore } from '../activities/data-store';
import { connectClient } from '../client/connect';
import { currentSession, type LoginSession, sessionCodec } from '../client/login-session';
import { codecFrom } from '../codec/data-converter';
import { settings } from '../config/settings';
import { workflowUrl } from '../domain/workflow-url';
import { KEYRING_FILE } from '../keys/signing-keys';
import { readTrustFile } from '../keys/worker-keys';
import type { GovernanceStore } from '../store/governance-store';
import { BAD_INPUT, CliError } from './errors';

/** The person signed in here with `campaign login`, or null; an expired login is an error that says what to do. */
export function cliSession(): LoginSession | null {
  return currentSession(settings().login.sessionFile);
}

/**
 * A client for the Temporal the settings name, with their payload codec; signed in, with the codec server and the
 * person's ID token instead (no payload key needed here, and what they decide or start is stamped as theirs).
 */
export function cliClient(): Promise<Client> {
  const { temporal, codec } = settings();
  const session = cliSession();
  return connectClient(temporal, session ? sessionCodec(session, temporal.namespace) : codecFrom(codec));
}

/** The Temporal UI link of a campaign. */
export function uiLink(workflowId: string): string {
  const { uiUrl, namespace } = settings().temporal;
  return workflowUrl(uiUrl, namespace, workflowId);
}

/** Runs `fn` with the governance store opened for reading, and closes it after. */
export async function withStore<T>(fn: (store: GovernanceStore) => Promise<T>): Promise<T> {
  const { openReadingStore } = await import('../store/open-store');
  const store = await openReadingStore(settings());
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The roster and brands as the workers read them (`CAMPAIGN_DATA_DIR`; in the demo, with the keyring's public keys). */
export function cliData(): DataStore {
  const { paths, demo } = settings();
  return createFileDataStore(paths.dataDir, demo ? { keyringFile: resolve(paths.keyDir, KEYRING_FILE) } : {});
}

/** People's logins as this deployment trusts them: the provider's issuer and the login service keys. */
export function cliLoginTrust(): { issuer: string | undefined; attesters: Record<string, string> } {
  const { login } = settings();
  return { issuer: login.issuer ?? login.localIssuer, attesters: readTrustFile(login.keysFile) };
}

/** Refuses `id` given as `flag` when it is no one in the roster, naming the nearest id; returns it otherwise. */
export function rosterPerson(id: string, flag = '--as'): string {
  const ids = cliData()
    .roster()
    .people.map((p) => p.id);
  if (ids.includes(id)) return id;
  const near = nearestId(id, ids);
  throw new CliError(`${flag}: '${id}' is not in the roster${near ? ` (did you mean ${near}?)` : ''}`, BAD_INPUT);
}
