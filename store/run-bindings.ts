import type pg from 'pg';

/** The run a campaign id belongs to, and what its start proved. */
export interface RunBinding {
  runId: string;
  requestedBy: string;
  briefHash: string;
  /** In flight across the upgrade to receipts, as the owner marked it on import: the earlier rules apply. */
  legacy: boolean;
}

/** The outcome of binding a run: bound now (or already, the same run), or the id is another run's. */
export type Bind = { kind: 'bound' } | { kind: 'taken'; by: RunBinding };

/** Which run is the campaign: bound once, by our planner, when it verified the start. */
export interface RunBindings {
  bind(campaignId: string, binding: Omit<RunBinding, 'legacy'>): Promise<Bind>;
  /** The binding of `campaignId`, or null. Kept in memory once found: a binding never changes. */
  of(campaignId: string): Promise<RunBinding | null>;
}

/** The bindings in `pool`'s governance schema. */
export function pgRunBindings(pool: pg.Pool): RunBindings {
  const known = new Map<string, RunBinding>();
  const of = async (campaignId: string): Promise<RunBinding | null> => {
    const cached = known.get(campaignId);
    if (cached) return cached;
    const rows = await pool.query<{ run_id: string; requested_by: string; brief_hash: string; legacy: boolean }>(
      'SELECT run_id, requested_by, brief_hash, legacy FROM governance.run_bindings WHERE campaign_id = $1',
      [campaignId],
    );
    const row = rows.rows[0];
    if (!row) return null;
    const binding = { runId: row.run_id, requestedBy: row.requested_by, briefHash: row.brief_hash, legacy: row.legacy };
    if (known.size > 10_000) known.clear();
    known.set(campaignId, binding);
    return binding;
  };
  return {
    async bind(campaignId, binding) {
      await pool.query(
        `INSERT INTO governance.run_bindings (campaign_id, run_id, requested_by, brief_hash)
         VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id) DO NOTHING`,
        [campaignId, binding.runId, binding.requestedBy, binding.briefHash],
      );
      const stored = await of(campaignId);
      if (stored && stored.runId === binding.runId) return { kind: 'bound' };
      return { kind: 'taken', by: stored ?? { ...binding, runId: 'unknown', legacy: false } };
    },
    of,
  };
}

/**
 * Marks `campaignId`'s run as in flight from before receipts (the earlier rules apply to it), as the owner role
 * importing its verified trail; a worker's role may not. Returns false when the id is bound to another run already.
 */
export async function bindLegacyRun(
  ownerPool: pg.Pool,
  campaignId: string,
  binding: Omit<RunBinding, 'legacy'>,
): Promise<boolean> {
  await ownerPool.query(
    `INSERT INTO governance.run_bindings (campaign_id, run_id, requested_by, brief_hash, legacy)
     VALUES ($1, $2, $3, $4, true) ON CONFLICT (campaign_id) DO NOTHING`,
    [campaignId, binding.runId, binding.requestedBy, binding.briefHash],
  );
  const row = await ownerPool.query<{ run_id: string }>(
    'SELECT run_id FROM governance.run_bindings WHERE campaign_id = $1',
    [campaignId],
  );
  return row.rows[0]?.run_id === binding.runId;
}
