import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../config/settings';

const DAY_MS = 86_400_000;

/** How long kept data stays, in days: model answers in the response cache, and published packages in the outbox. */
export type Retention = Settings['retention'];

/** What a prune removed (or, in a dry run, would remove). */
export interface PruneReport {
  cache: string[];
  outbox: string[];
}

/**
 * Removes cached model answers older than the cache retention and outbox packages older than the outbox retention,
 * by modification time. The audit store is never pruned here: its retention is the auditors' to decide.
 */
export function prune(
  dirs: { cacheDir: string; outboxDir: string },
  retention: Retention,
  options: { dryRun?: boolean; now?: number } = {},
): PruneReport {
  const now = options.now ?? Date.now();
  const older = (dir: string, days: number) =>
    entries(dir).filter((name) => now - statSync(join(dir, name)).mtimeMs > days * DAY_MS);
  const report = {
    cache: older(dirs.cacheDir, retention.cacheDays).filter((name) => name.endsWith('.json')),
    outbox: older(dirs.outboxDir, retention.outboxDays),
  };
  if (!options.dryRun) {
    for (const name of report.cache) rmSync(join(dirs.cacheDir, name), { force: true });
    for (const name of report.outbox) rmSync(join(dirs.outboxDir, name), { recursive: true, force: true });
  }
  return report;
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
