import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../config/settings';

const DAY_MS = 86_400_000;

/** How long kept data stays, in days: model answers in the response cache, and published packages in the outbox. */
export type Retention = Settings['retention'];

/** What a prune removed (or, in a dry run, would remove): how many cached answers, and which outbox packages. */
export interface PruneReport {
  cache: number;
  outbox: string[];
}

/**
 * Removes cached model answers older than the cache retention (in the store) and outbox packages older than the
 * outbox retention (by modification time). The audit trail is never pruned here: its retention is the auditors' to
 * decide, and the worker role cannot delete it anyway.
 */
export async function prune(
  where: { outboxDir: string; cache: { prune(olderThanDays: number, dryRun: boolean): Promise<number> } },
  retention: Retention,
  options: { dryRun?: boolean; now?: number } = {},
): Promise<PruneReport> {
  const now = options.now ?? Date.now();
  const dryRun = options.dryRun ?? false;
  const outbox = entries(where.outboxDir).filter(
    (name) => now - statSync(join(where.outboxDir, name)).mtimeMs > retention.outboxDays * DAY_MS,
  );
  const cache = await where.cache.prune(retention.cacheDays, dryRun);
  if (!dryRun) for (const name of outbox) rmSync(join(where.outboxDir, name), { recursive: true, force: true });
  return { cache, outbox };
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
