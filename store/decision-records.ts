import type pg from 'pg';

/** A decision as the worker side accepted it: for which run, what kind, the decision itself, and when. */
export interface DecisionRecord {
  campaignId: string;
  runId: string;
  kind: 'approval' | 'budget';
  /** The decision exactly as the approver sent it, signature included. */
  decision: {
    decision: string;
    approver: string;
    signature?: { keyId: string; value: string };
    attestation?: { value: string };
  } & Record<string, unknown>;
  recordedBy: string;
  recordedAt: string;
}

/** Decisions recorded the moment a gate accepted them; a signature takes effect once, anywhere. */
export interface DecisionRecords {
  /** Records a signed decision; `used` when its signature took effect before (here or in any other run). */
  record(record: Omit<DecisionRecord, 'recordedAt'>): Promise<'recorded' | 'used'>;
  /** The decisions of one kind recorded for a run, in the order they were accepted. */
  ofRun(campaignId: string, runId: string, kind: DecisionRecord['kind']): Promise<DecisionRecord[]>;
}

/** The records in `pool`'s governance schema. */
export function pgDecisionRecords(pool: pg.Pool): DecisionRecords {
  return {
    async record(record) {
      // A decision's proof is its identity: the approver's signature, or the login service's stamp.
      const signature = record.decision.signature?.value ?? record.decision.attestation?.value;
      if (!signature) throw new Error('only proven decisions are recorded: their signature or stamp is their identity');
      const inserted = await pool.query(
        `INSERT INTO governance.decisions (signature, campaign_id, run_id, kind, decision, approver, body, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (signature) DO NOTHING`,
        [
          signature,
          record.campaignId,
          record.runId,
          record.kind,
          record.decision.decision,
          record.decision.approver,
          JSON.stringify(record.decision),
          record.recordedBy,
        ],
      );
      if (inserted.rowCount === 1) return 'recorded';
      // The same decision handed in again by the same run (a retried activity) is the one already recorded.
      const earlier = await pool.query<{ campaign_id: string; run_id: string }>(
        'SELECT campaign_id, run_id FROM governance.decisions WHERE signature = $1',
        [signature],
      );
      const row = earlier.rows[0];
      return row && row.campaign_id === record.campaignId && row.run_id === record.runId ? 'recorded' : 'used';
    },
    async ofRun(campaignId, runId, kind) {
      const rows = await pool.query<{ body: string; recorded_by: string; recorded_at: Date }>(
        `SELECT body, recorded_by, recorded_at FROM governance.decisions
         WHERE campaign_id = $1 AND run_id = $2 AND kind = $3 ORDER BY recorded_at, signature`,
        [campaignId, runId, kind],
      );
      return rows.rows.map((r) => ({
        campaignId,
        runId,
        kind,
        decision: JSON.parse(r.body) as DecisionRecord['decision'],
        recordedBy: r.recorded_by,
        recordedAt: r.recorded_at.toISOString(),
      }));
    },
  };
}
