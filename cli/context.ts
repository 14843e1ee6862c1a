import type { Client } from '@temporalio/client';
import { connectClient } from '../client/connect';
import { currentSession, type LoginSession, sessionCodec } from '../client/login-session';
import { codecFrom } from '../codec/data-converter';
import { settings } from '../config/settings';
import { workflowUrl } from '../domain/workflow-url';
import type { GovernanceStore } from '../store/governance-store';

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
