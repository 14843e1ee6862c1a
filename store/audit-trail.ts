import type pg from 'pg';
import type { AuditEvent } from '../domain/audit';
import { type Checkpoint, signCheckpoint } from '../domain/audit-anchor';
import { GENESIS_HASH } from '../domain/audit-verify';
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
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // Two appends for one campaign never interleave: the second waits here until the first commits.
        await client.query("SELECT pg_advisory_xact_lock(hashtextextended('trail:' || $1, 0))", [campaignId]);
        const bound = await client.query<{ run_id: string }>(
          'SELECT run_id FROM governance.run_bindings WHERE campaign_id = $1',
          [campaignId],
        );
        const owner = bound.rows[0]?.run_id;
        if (owner && owner !== runId) {
          throw new AuditStoreRefusal(`${campaignId}'s trail belongs to run ${owner}, not ${runId}`);
        }
        const first = Math.min(...incoming.map((e) => e.seq), Number.POSITIVE_INFINITY);
        const stored = await client.query<{ seq: number; hash: string }>(
          'SELECT seq, hash FROM governance.audit_events WHERE campaign_id = $1 AND seq >= $2 - 1 ORDER BY seq',
          [campaignId, Number.isFinite(first) ? first : 0],
        );
        const last = await client.query<{ seq: number; hash: string }>(
          'SELECT seq, hash FROM governance.audit_events WHERE campaign_id = $1 ORDER BY seq DESC LIMIT 1',
          [campaignId],
        );
        const storedHash = new Map(stored.rows.map((r) => [r.seq, r.hash]));
        let length = last.rows[0]?.seq ?? 0;
        let head = last.rows[0]?.hash ?? GENESIS_HASH;
        let appended = 0;
        for (const event of incoming) {
          if (event.workflowId !== campaignId || event.runId !== runId) {
            throw new AuditStoreRefusal(
              `event ${event.seq} belongs to ${event.workflowId} run ${event.runId}, not this run of ${campaignId}`,
            );
          }
          if (event.seq <= length) {
            if (storedHash.get(event.seq) !== event.hash) {
              throw new AuditStoreRefusal(`event ${event.seq} differs from the stored event ${event.seq}`);
            }
            continue;
          }
          if (event.seq !== length + 1)
            throw new AuditStoreRefusal(`event ${event.seq} comes before event ${length + 1}`);
          if (event.prevHash !== head) throw new AuditStoreRefusal(`event ${event.seq} does not continue the chain`);
          const { hash, ...unsealed } = event;
          if (hashOf(unsealed) !== hash) throw new AuditStoreRefusal(`event ${event.seq} does not match its own hash`);
          await client.query(
            `INSERT INTO governance.audit_events (campaign_id, seq, run_id, hash, prev_hash, step, action, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [campaignId, event.seq, runId, hash, event.prevHash, event.step, event.action, canonicalJson(event)],
          );
          storedHash.set(event.seq, hash);
          length = event.seq;
          head = hash;
          appended += 1;
        }
        let checkpoint: Checkpoint | null = null;
        if (appended > 0) {
          checkpoint = signCheckpoint({ campaignId, seq: length, head, at: new Date().toISOString() }, workerSecretKey);
          await client.query('INSERT INTO governance.checkpoints (campaign_id, seq, body) VALUES ($1, $2, $3)', [
            campaignId,
            length,
            JSON.stringify(checkpoint),
          ]);
        } else checkpoint = await latestCheckpoint(client, campaignId);
        await client.query('COMMIT');
        return { appended, checkpoint };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        // The database's own chain check (a trigger) says the same in its words: a refusal, not a failure.
        if ((err as { code?: string }).code === 'P0001') throw new AuditStoreRefusal((err as Error).message);
        throw err;
      } finally {
        client.release();
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
