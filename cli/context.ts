import type { Client } from '@temporalio/client';
import { connectClient } from '../client/connect';
import { codecFrom } from '../codec/data-converter';
import { settings } from '../config/settings';
import { workflowUrl } from '../domain/workflow-url';
import type { GovernanceStore } from '../store/governance-store';

/** A client for the Temporal the settings name, with their payload codec. */
export function cliClient(): Promise<Client> {
  const { temporal, codec } = settings();
  return connectClient(temporal, codecFrom(codec));
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
