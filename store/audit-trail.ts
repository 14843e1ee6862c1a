import type pg from 'pg';
import type { AuditEvent } from '../domain/audit';
import { type Checkpoint, signCheckpoint } from '../domain/audit-anchor';
import { canonicalJson, hashOf } from '../domain/hash';

/** A run's stored trail and the signed checkpoint of its head. */
export interface StoredTrail {
  /** The run whose trail it is, or null when the campaign has none. */
  runId: string | null;
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
   * Appends the events that continue the run's stored chain, in one transaction that holds the run's lock. Events
   * already stored (same sequence number and hash) are skipped, so a retried activity appends nothing twice; any other
   * event that does not continue the chain, or names another campaign or run, is refused with
   * {@link AuditStoreRefusal} and nothing is written. `campaignId` and `runId` come from the caller's own activity
   * info, never from the events. These are the workflow's claims; what proves a step is its receipt.
   */
  append(
    campaignId: string,
    runId: string,
    events: readonly AuditEvent[],
  ): Promise<{ appended: number; checkpoint: Checkpoint | null }>;
  /**
   * A run's whole trail and its latest checkpoint (auditors; never a governed call): `runId`'s, else the run the
   * campaign id is bound to, else the only run with a trail under the id.
   */
  read(campaignId: string, runId?: string): Promise<StoredTrail>;
  /** The events of one step and action of a run, by key (a budget's raises), without reading the trail. */
  eventsOf(campaignId: string, runId: string, step: string, action: string): Promise<AuditEvent[]>;
  /** The campaign ids with a stored trail. */
  campaigns(): Promise<string[]>;
}

/** The audit trail in `pool`'s governance schema; each append's checkpoint is signed with `workerSecretKey`. */
export function pgAuditTrail(pool: pg.Pool, workerSecretKey: string | null): AuditTrail {
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
      if (!workerSecretKey) throw new Error('this store was opened for reading: it holds no worker key to sign with');
      // Signed for the last event handed in: if anything is appended, the trail ends there; if nothing is, it is unused.
      const checkpoint = signCheckpoint(
        { campaignId, runId, seq: last.seq, head: last.hash, at: new Date().toISOString() },
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
    async read(campaignId, runId) {
      const run = runId ?? (await runOf(pool, campaignId));
      if (!run) return { runId: null, events: [], checkpoint: null };
      const rows = await pool.query<{ body: string }>(
        'SELECT body FROM governance.audit_events WHERE campaign_id = $1 AND run_id = $2 ORDER BY seq',
        [campaignId, run],
      );
      return {
        runId: run,
        events: rows.rows.map((r) => JSON.parse(r.body) as AuditEvent),
        checkpoint: await latestCheckpoint(pool, campaignId, run),
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
  };
}

/** The run whose trail `read` shows when none is named: the bound run, else the only one under the id. */
async function runOf(pool: pg.Pool, campaignId: string): Promise<string | null> {
  const bound = await pool.query<{ run_id: string }>(
    'SELECT run_id FROM governance.run_bindings WHERE campaign_id = $1',
    [campaignId],
  );
  if (bound.rows[0]) return bound.rows[0].run_id;
  const runs = await pool.query<{ run_id: string }>(
    'SELECT DISTINCT run_id FROM governance.audit_events WHERE campaign_id = $1 LIMIT 2',
    [campaignId],
  );
  return runs.rows.length === 1 ? (runs.rows[0]?.run_id ?? null) : null;
}

async function latestCheckpoint(
  db: Pick<pg.Pool, 'query'>,
  campaignId: string,
  runId: string,
): Promise<Checkpoint | null> {
  const rows = await db.query<{ body: string }>(
    'SELECT body FROM governance.checkpoints WHERE campaign_id = $1 AND run_id = $2 ORDER BY seq DESC LIMIT 1',
    [campaignId, runId],
  );
  const body = rows.rows[0]?.body;
  return body ? (JSON.parse(body) as Checkpoint) : null;
}
