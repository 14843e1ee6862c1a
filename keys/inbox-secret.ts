import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyError } from './key-error';
import { exists } from './private-files';

/**
 * The deployment's inbox secret (hex), which turns roster ids into the opaque tokens of the `CampaignInbox` search
 * attribute: `given` (the `CAMPAIGN_INBOX_SECRET` setting), else `<dir>/inbox.secret`, made on first use by a worker
 * (owner-readable only). Workers and the CLI of one deployment must share it; the CLI (`create: false`) refuses rather
 * than make a secret of its own, which would find nobody's campaigns.
 */
export function ensureInboxSecret(
  dir: string,
  given: string | undefined,
  options: { create: boolean } = { create: true },
): string {
  if (given) return given;
  const path = join(dir, 'inbox.secret');
  if (!exists(path) && !options.create) {
    throw new KeyError(
      `no inbox secret in ${path}: set CAMPAIGN_INBOX_SECRET to the workers' secret, or point CAMPAIGN_KEY_DIR at their key folder`,
    );
  }
  if (!exists(path)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch {
      // Another process made it first; read theirs.
    }
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{32,}$/.test(secret)) throw new KeyError(`${path} does not hold an inbox secret`);
  return secret;
}
