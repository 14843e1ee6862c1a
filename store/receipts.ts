import type pg from 'pg';
import { GENESIS_HASH } from '../domain/audit-verify';
import { type Receipt, receiptBody, signReceipt } from '../domain/receipt';

/** What a receipt says, before the store numbers, chains and signs it. */
export type ReceiptFields = Omit<Receipt, 'seq' | 'prevHash' | 'hash' | 'signature' | 'at' | 'worker'> & {
  worker: { identity: string; buildId: string };
};

/** The worker side's receipts: appended with the worker's key, read by the publisher and the auditors. */
export interface Receipts {
  /** Numbers, chains, signs and stores a receipt for one activity execution; the database checks the chain. */
  record(fields: ReceiptFields): Promise<Receipt>;
  /** A run's receipts, in order. */
  ofRun(campaignId: string, runId: string): Promise<Receipt[]>;
}

/** Rounds a receipt may go when receipts of its run keep getting in first (concurrent activities of one run). */
const MAX_ATTEMPTS = 32;

/** The receipts in `pool`'s governance schema, signed with `workerSecretKey` (hex); null: this store cannot sign. */
export function pgReceipts(pool: pg.Pool, workerSecretKey: string | null): Receipts {
  return {
    async record(fields) {
      if (!workerSecretKey) throw new Error('this store was opened for reading: it holds no worker key to sign with');
      // Two round trips, no transaction of its own: read the run's last receipt, sign the next one, insert it. The
      // insert's trigger takes the run's lock and refuses a receipt that does not continue the chain, so a receipt of
      // the same run that got in between (a concurrent activity) sends this one round again, on the new head.
      const headOf = async () =>
        (
          await pool.query<{ seq: number; hash: string }>(
            'SELECT seq, hash FROM governance.receipts WHERE campaign_id = $1 AND run_id = $2 ORDER BY seq DESC LIMIT 1',
            [fields.campaignId, fields.runId],
          )
        ).rows[0];
      let last = await headOf();
      for (let attempt = 1; ; attempt++) {
        const receipt = signReceipt(
          { ...fields, seq: (last?.seq ?? 0) + 1, prevHash: last?.hash ?? GENESIS_HASH, at: new Date().toISOString() },
          workerSecretKey,
        );
        try {
          await pool.query(
            `INSERT INTO governance.receipts (campaign_id, run_id, seq, activity_type, outcome, input_hash, output_hash, hash, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [
              receipt.campaignId,
              receipt.runId,
              receipt.seq,
              receipt.activityType,
              receipt.outcome,
              receipt.inputHash,
              receipt.outputHash,
              receipt.hash,
              receiptBody(receipt),
            ],
          );
          return receipt;
        } catch (err) {
          const code = (err as { code?: string }).code;
          // P0001: the trigger's "does not continue"; 23505: the same number, inserted first by the other receipt.
          if ((code !== 'P0001' && code !== '23505') || attempt >= MAX_ATTEMPTS) throw err;
          // A lost race moved the head; a refusal on the head this receipt was signed for is a refusal, not a race.
          const now = await headOf();
          if (now?.seq === last?.seq && now?.hash === last?.hash) throw err;
          last = now;
        }
      }
    },
    async ofRun(campaignId, runId) {
      const rows = await pool.query<{ body: string }>(
        'SELECT body FROM governance.receipts WHERE campaign_id = $1 AND run_id = $2 ORDER BY seq',
        [campaignId, runId],
      );
      return rows.rows.map((r) => JSON.parse(r.body) as Receipt);
    },
  };
}
