import type pg from 'pg';

/** Which campaign run money is spent for, from the activity's own info. */
export interface CampaignRunRef {
  campaignId: string;
  runId: string;
}

/** An amount of model use: euros and tokens. */
export interface Spend {
  costEur: number;
  tokens: number;
}

/** What a reservation found: it was made (with its id), or it would go over the limit (with what is spent). */
export type Reservation = { kind: 'reserved'; id: string } | { kind: 'over'; spent: Spend };

/**
 * The model gateway's own ledger. A paid call is reserved before it is made, at its worst case, and settled with what
 * it cost (or released when it failed); a reservation counts against the budget until then, so two workers reserving
 * for one campaign at once can never go over it together.
 */
export interface SpendLedger {
  /** Reserves `estimate` if settled spend, open reservations and it stay within `limit`, atomically. */
  reserve(run: CampaignRunRef, step: string, estimate: Spend, limit: Spend): Promise<Reservation>;
  /** Books what the reserved call cost. */
  settle(run: CampaignRunRef, reservation: string, step: string, spent: Spend): Promise<void>;
  /** Gives a reservation back: the call was never made or failed before it cost anything. */
  release(run: CampaignRunRef, reservation: string, step: string): Promise<void>;
  /** Settled spend and open reservations of a run. */
  spent(run: CampaignRunRef): Promise<{ settled: Spend; reserved: Spend }>;
}

/** A reservation whose call neither settled nor released within this long (a worker that died) stops counting. */
const OPEN_FOR = '15 minutes';
const MICRO = 1_000_000;

/** The ledger in `pool`'s governance schema. */
export function pgSpendLedger(pool: pg.Pool): SpendLedger {
  const totals = async (db: Pick<pg.Pool, 'query'>, run: CampaignRunRef) => {
    const rows = await db.query<{ settled: string; settled_tokens: string; reserved: string; reserved_tokens: string }>(
      `SELECT
         coalesce(sum(cost_micro_eur) FILTER (WHERE kind = 'settle'), 0) AS settled,
         coalesce(sum(tokens) FILTER (WHERE kind = 'settle'), 0) AS settled_tokens,
         coalesce(sum(r.cost_micro_eur) FILTER (WHERE r.kind = 'reserve' AND NOT r.ended AND r.recorded_at > now() - $3::interval), 0) AS reserved,
         coalesce(sum(r.tokens) FILTER (WHERE r.kind = 'reserve' AND NOT r.ended AND r.recorded_at > now() - $3::interval), 0) AS reserved_tokens
       FROM (
         SELECT l.*, EXISTS (SELECT 1 FROM governance.spend_ledger e WHERE e.reservation = l.id) AS ended
         FROM governance.spend_ledger l WHERE l.campaign_id = $1 AND l.run_id = $2
       ) r`,
      [run.campaignId, run.runId, OPEN_FOR],
    );
    const row = rows.rows[0];
    return {
      settled: { costEur: Number(row?.settled ?? 0) / MICRO, tokens: Number(row?.settled_tokens ?? 0) },
      reserved: { costEur: Number(row?.reserved ?? 0) / MICRO, tokens: Number(row?.reserved_tokens ?? 0) },
    };
  };
  const end = async (
    run: CampaignRunRef,
    reservation: string,
    kind: 'settle' | 'release',
    step: string,
    spent: Spend,
  ) => {
    // A retried settlement of the same reservation changes nothing: one end per reservation (a unique index).
    await pool.query(
      `INSERT INTO governance.spend_ledger (campaign_id, run_id, kind, reservation, step, cost_micro_eur, tokens)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (reservation) WHERE reservation IS NOT NULL DO NOTHING`,
      [run.campaignId, run.runId, kind, reservation, step, Math.round(spent.costEur * MICRO), Math.round(spent.tokens)],
    );
  };
  return {
    async reserve(run, step, estimate, limit) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query("SELECT pg_advisory_xact_lock(hashtextextended('budget:' || $1 || ':' || $2, 0))", [
          run.campaignId,
          run.runId,
        ]);
        const { settled, reserved } = await totals(client, run);
        const cost = settled.costEur + reserved.costEur + estimate.costEur;
        const tokens = settled.tokens + reserved.tokens + estimate.tokens;
        // Compared in micro-euros, as stored, so rounding never lets a reservation through that the sum would refuse.
        if (Math.round(cost * MICRO) > Math.round(limit.costEur * MICRO) || tokens > limit.tokens) {
          await client.query('ROLLBACK');
          return {
            kind: 'over',
            spent: { costEur: settled.costEur + reserved.costEur, tokens: settled.tokens + reserved.tokens },
          };
        }
        const made = await client.query<{ id: string }>(
          `INSERT INTO governance.spend_ledger (campaign_id, run_id, kind, step, cost_micro_eur, tokens)
           VALUES ($1, $2, 'reserve', $3, $4, $5) RETURNING id`,
          [run.campaignId, run.runId, step, Math.round(estimate.costEur * MICRO), Math.round(estimate.tokens)],
        );
        await client.query('COMMIT');
        return { kind: 'reserved', id: String(made.rows[0]?.id) };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    settle: (run, reservation, step, spent) => end(run, reservation, 'settle', step, spent),
    release: (run, reservation, step) => end(run, reservation, 'release', step, { costEur: 0, tokens: 0 }),
    spent: (run) => totals(pool, run),
  };
}
