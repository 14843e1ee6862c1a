import type pg from 'pg';
import type { AuditEvent } from '../domain/audit';
import { type Checkpoint, signCheckpoint } from '../domain/audit-anchor';
import { canonicalJson, hashOf } from '../domain/hash';

/** A campaign's stored trail and the signed checkpoint of its head. */
export interface StoredTrail {
  events: AuditEvent[];
  checkpoint: Checkpoint | null;
}

/** An event the store will not take: it would break the chain, or it belongs to another run or campaign. */
export class AuditStoreRefusal extends Error {
  override readonly name = 'AuditStoreRefusal';
}

/** The appends and reads of the audit trail. */
export interface AuditTrail {
  /**
   * Appends the events that continue the campaign's stored chain, in one transaction that holds the campaign's lock.
   * Events already stored (same sequence number and hash) are skipped, so a retried activity appends nothing twice;
   * any other event that does not continue the chain, or comes from another run than the one the id is bound to, is
   * refused with {@link AuditStoreRefusal} and nothing is written. `campaignId` and `runId` come from the caller's own
   * activity info, never from the events.
   */
  append(
    campaignId: string,
    runId: string,
    events: readonly AuditEvent[],
  ): Promise<{ appended: number; checkpoint: Checkpoint | null }>;
  /** The campaign's whole trail and its latest checkpoint (auditors; never a governed call). */
  read(campaignId: string): Promise<StoredTrail>;
  /** The events of one step and action of a run, by key (a budget's raises), without reading the trail. */
  eventsOf(campaignId: string, runId: string, step: string, action: string): Promise<AuditEvent[]>;
  /** The campaign ids with a stored trail. */
  campaigns(): Promise<string[]>;
  /** The run a campaign id is bound to (the first that recorded anything under it), or null. */
  boundRun(campaignId: string): Promise<string | null>;
}

/** The audit trail in `pool`'s governance schema; each append's checkpoint is signed with `workerSecretKey`. */
export function pgAuditTrail(pool: pg.Pool, workerSecretKey: string): AuditTrail {
  return {
    async append(campaignId, runId, incoming) {
      for (const event of incoming) {
        if (event.workflowId !== campaignId || event.runId !== runId) {
          throw new AuditStoreRefusal(
            `event ${event.seq} belongs to ${event.workflowId} run ${event.runId}, not this run of ${campaignId}`,
          );
        }
        const { hash, ...unsealed } = event;
        if (hashOf(unsealed) !== hash) throw new AuditStoreRefusal(`event ${event.seq} does not match its own hash`);
      }
      const last = incoming.at(-1);
      if (!last) return { appended: 0, checkpoint: null };
      // Signed for the last event handed in: if anything is appended, the trail ends there; if nothing is, it is unused.
      const checkpoint = signCheckpoint(
        { campaignId, seq: last.seq, head: last.hash, at: new Date().toISOString() },
        workerSecretKey,
      );
      try {
        // One round trip: the database skips what it has, checks the rest continues the chain, and records the head.
        const result = await pool.query<{ appended: number }>(
          'SELECT governance.append_events($1, $2, $3, $4) AS appended',
          [campaignId, runId, incoming.map((e) => canonicalJson(e)), JSON.stringify(checkpoint)],
        );
        const appended = result.rows[0]?.appended ?? 0;
        return { appended, checkpoint: appended > 0 ? checkpoint : null };
      } catch (err) {
        // The database's chain checks say it in their words: a refusal, not a failure.
        if ((err as { code?: string }).code === 'P0001') throw new AuditStoreRefusal((err as Error).message);
        throw err;
      }
    },
    async read(campaignId) {
      const rows = await pool.query<{ body: string }>(
        'SELECT body FROM governance.audit_events WHERE campaign_id = $1 ORDER BY seq',
        [campaignId],
      );
      return {
        events: rows.rows.map((r) => JSON.parse(r.body) as AuditEvent),
        checkpoint: await latestCheckpoint(pool, campaignId),
      };
    },
    async eventsOf(campaignId, runId, step, action) {
      const rows = await pool.query<{ body: string }>(
        `SELECT body FROM governance.audit_events
         WHERE campaign_id = $1 AND run_id = $2 AND step = $3 AND action = $4 ORDER BY seq`,
        [campaignId, runId, step, action],
      );
      return rows.rows.map((r) => JSON.parse(r.body) as AuditEvent);
    },
    async campaigns() {
      const rows = await pool.query<{ campaign_id: string }>(
        'SELECT DISTINCT campaign_id FROM governance.audit_events ORDER BY campaign_id',
      );
      return rows.rows.map((r) => r.campaign_id);
    },
    async boundRun(campaignId) {
      const rows = await pool.query<{ run_id: string }>(
        'SELECT run_id FROM governance.run_bindings WHERE campaign_id = $1',
        [campaignId],
      );
      return rows.rows[0]?.run_id ?? null;
    },
  };
}

async function latestCheckpoint(db: Pick<pg.Pool, 'query'>, campaignId: string): Promise<Checkpoint | null> {
  const rows = await db.query<{ body: string }>(
    'SELECT body FROM governance.checkpoints WHERE campaign_id = $1 ORDER BY seq DESC LIMIT 1',
    [campaignId],
  );
  const body = rows.rows[0]?.body;
  return body ? (JSON.parse(body) as Checkpoint) : null;
}
