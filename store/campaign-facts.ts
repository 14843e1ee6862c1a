import type pg from 'pg';

/** What the policies read about a run, kept current by the database as events and spend are recorded. */
export interface CampaignFacts {
  /** Audit events stored for the run. */
  events: number;
  /** Kinds of personal data kept from the models so far. */
  dataClasses: string[];
  /** Injected instructions screened out or quoted so far. */
  injectionsFlagged: number;
  /** Settled model spend. */
  spentEur: number;
  spentTokens: number;
}

const NONE: CampaignFacts = { events: 0, dataClasses: [], injectionsFlagged: 0, spentEur: 0, spentTokens: 0 };

/** Reads a run's facts by key: one row, however long its trail. */
export function pgCampaignFacts(pool: pg.Pool): (campaignId: string, runId: string) => Promise<CampaignFacts> {
  return async (campaignId, runId) => {
    const rows = await pool.query<{
      events: number;
      data_classes: string[];
      injections_flagged: number;
      spent_micro_eur: string;
      spent_tokens: string;
    }>(
      `SELECT events, data_classes, injections_flagged, spent_micro_eur, spent_tokens
       FROM governance.campaign_facts WHERE campaign_id = $1 AND run_id = $2`,
      [campaignId, runId],
    );
    const row = rows.rows[0];
    if (!row) return NONE;
    return {
      events: row.events,
      dataClasses: row.data_classes,
      injectionsFlagged: row.injections_flagged,
      spentEur: Number(row.spent_micro_eur) / 1_000_000,
      spentTokens: Number(row.spent_tokens),
    };
  };
}
