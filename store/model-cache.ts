import type pg from 'pg';
import type { CacheKey, ResponseCache } from '../activities/model-gateway/response-cache';
import type { ProviderReply } from '../activities/model-gateway/types';
import { hashOf } from '../domain/hash';

/**
 * Paid model answers in the shared store, so a step retried on any machine takes the answer its first attempt paid
 * for instead of paying again. Not evidence: pruned by age.
 */
export function pgResponseCache(
  pool: pg.Pool,
): ResponseCache & { prune(olderThanDays: number, dryRun: boolean): Promise<number> } {
  return {
    async get(key: CacheKey) {
      const rows = await pool.query<{ body: string }>('SELECT body FROM governance.model_responses WHERE key = $1', [
        hashOf(key),
      ]);
      const body = rows.rows[0]?.body;
      return body ? (JSON.parse(body) as ProviderReply) : undefined;
    },
    async put(key: CacheKey, reply: ProviderReply) {
      await pool.query(
        'INSERT INTO governance.model_responses (key, body) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
        [hashOf(key), JSON.stringify(reply)],
      );
    },
    async prune(olderThanDays, dryRun) {
      const where = 'created_at < now() - make_interval(secs => $1 * 86400)';
      const rows = dryRun
        ? await pool.query<{ n: string }>(`SELECT count(*) AS n FROM governance.model_responses WHERE ${where}`, [
            olderThanDays,
          ])
        : await pool.query(`DELETE FROM governance.model_responses WHERE ${where}`, [olderThanDays]);
      return dryRun ? Number((rows.rows[0] as { n: string } | undefined)?.n ?? 0) : (rows.rowCount ?? 0);
    },
  };
}
