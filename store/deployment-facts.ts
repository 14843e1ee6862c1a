import { createHmac } from 'node:crypto';
import { hostname } from 'node:os';
import type { CodecSettings } from '../config/settings';
import { loadCodecKeys } from '../keys/codec-keys';
import type { GovernanceStore } from './governance-store';

/** A worker's settings differ from those the deployment's first worker recorded: it must not start. */
export class DeploymentMismatch extends Error {
  override readonly name = 'DeploymentMismatch';
}

/** A secret's fingerprint: an HMAC under a fixed label, which says whether two secrets are equal and nothing else. */
function fingerprint(secret: Buffer | string, label: string): string {
  return createHmac('sha256', secret).update(`governed-campaigns ${label}`).digest('hex').slice(0, 16);
}

/**
 * Checks that this worker's shared settings agree with the deployment's: the inbox secret, whether payloads are
 * encrypted, and each payload key it holds (by id). The first worker of a deployment records them; every later one
 * compares, and refuses with the setting's name when they differ, because a machine with another inbox secret finds
 * nobody's campaigns, and one with other keys writes payloads the rest cannot read.
 */
export async function agreeWithDeployment(
  store: Pick<GovernanceStore, 'pool'>,
  mine: { inboxSecret: string; codec: CodecSettings },
): Promise<void> {
  const keys = loadCodecKeys(mine.codec);
  const facts: [name: string, value: string, setting: string][] = [
    [
      'inbox-secret',
      fingerprint(mine.inboxSecret, 'inbox secret'),
      'CAMPAIGN_INBOX_SECRET (or the key folder’s inbox.secret)',
    ],
    ['payload-encryption', keys ? 'on' : 'off', 'CAMPAIGN_CODEC_KEYS / CAMPAIGN_CODEC_KEY_FILE (encryption on or off)'],
    ...[...(keys?.byId ?? new Map<string, Buffer>())].map(([id, key]): [string, string, string] => [
      `payload-key:${id}`,
      fingerprint(key, 'payload key'),
      `the payload key '${id}' (CAMPAIGN_CODEC_KEYS / CAMPAIGN_CODEC_KEY_FILE)`,
    ]),
  ];
  const by = `${hostname()}/${process.pid}`;
  for (const [name, value, setting] of facts) {
    await store.pool.query(
      `INSERT INTO governance.deployment_facts (name, fingerprint, recorded_by) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO NOTHING`,
      [name, value, by],
    );
    const recorded = await store.pool.query<{ fingerprint: string; recorded_by: string }>(
      'SELECT fingerprint, recorded_by FROM governance.deployment_facts WHERE name = $1',
      [name],
    );
    const row = recorded.rows[0];
    if (row && row.fingerprint !== value) {
      throw new DeploymentMismatch(
        `this worker's ${setting} differs from the deployment's (recorded by ${row.recorded_by}): every machine needs the same`,
      );
    }
  }
}
