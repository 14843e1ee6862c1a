import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * A person's inbox token: an HMAC of their roster id under the deployment's inbox secret. Search attributes are never
 * encrypted, so the `CampaignInbox` attribute lists these tokens instead of ids; without the secret a token names
 * nobody, and the CLI and the UI query find a person's campaigns by it.
 */
export function inboxToken(secretHex: string, rosterId: string): string {
  return `i${bytesToHex(hmac(sha256, hexToBytes(secretHex), utf8ToBytes(`campaign-inbox:${rosterId}`))).slice(0, 24)}`;
}

/** The visibility query for one person's inbox, for the CLI and a saved view in the Temporal UI. */
export function personalInboxQuery(token: string): string {
  return `CampaignInbox = "${token}" AND ExecutionStatus = "Running"`;
}
