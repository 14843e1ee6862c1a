import type { Client } from '@temporalio/client';
import { connectClient } from '../client/connect';
import { codecFrom } from '../codec/data-converter';
import { settings } from '../config/settings';
import { workflowUrl } from '../domain/workflow-url';

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
