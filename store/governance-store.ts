import type pg from 'pg';
import { workerSigner } from '../domain/signatures';
import { type AuditTrail, pgAuditTrail } from './audit-trail';
import { type CampaignFacts, pgCampaignFacts } from './campaign-facts';
import { openDatabase } from './database';
import { type DecisionRecords, pgDecisionRecords } from './decision-records';
import { pgResponseCache } from './model-cache';
import { type PublicationRegistry, pgPublicationRegistry } from './publications';
import { pgReceipts, type Receipts } from './receipts';
import { pgRunBindings, type RunBindings } from './run-bindings';
import { pgSpendLedger, type SpendLedger } from './spend-ledger';

/**
 * Everything that governs, in one PostgreSQL database that every worker machine shares: the audit trail and its
 * checkpoints, the spend ledger, the publish registry, the campaign-to-run bindings, the facts the policies read, and
 * the cache of paid model answers.
 */
export interface GovernanceStore {
  trail: AuditTrail;
  bindings: RunBindings;
  receipts: Receipts;
  decisions: DecisionRecords;
  ledger: SpendLedger;
  publications: PublicationRegistry;
  /** A run's facts, by key. */
  facts(campaignId: string, runId: string): Promise<CampaignFacts>;
  cache: ReturnType<typeof pgResponseCache>;
  /**
   * Signs `bytes` with this machine's worker key, the one its checkpoints and receipts carry (statements the worker
   * side makes, such as the AI marking of published copy); null in a store opened for reading.
   */
  workerSignature(bytes: Uint8Array): { keyId: string; signature: Uint8Array } | null;
  /** The pool, for the tools that read across tables (the auditors' export, the tests). */
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * The store on `pool`; checkpoints and receipts are signed with `workerSecretKey` (hex), the key of this machine's
 * worker, or not at all (null: a store opened for reading, which refuses to sign).
 */
export function governanceStore(pool: pg.Pool, workerSecretKey: string | null): GovernanceStore {
  const signer = workerSecretKey ? workerSigner(workerSecretKey) : null;
  return {
    trail: pgAuditTrail(pool, workerSecretKey),
    bindings: pgRunBindings(pool),
    receipts: pgReceipts(pool, workerSecretKey),
    decisions: pgDecisionRecords(pool),
    ledger: pgSpendLedger(pool),
    publications: pgPublicationRegistry(pool),
    facts: pgCampaignFacts(pool),
    cache: pgResponseCache(pool),
    workerSignature: (bytes) => (signer ? signer.sign(bytes) : null),
    pool,
    close: () => pool.end(),
  };
}

/** Opens the store at `url` (checked: reachable, and on the schema this code knows). */
export async function openGovernanceStore(url: string, workerSecretKey: string | null): Promise<GovernanceStore> {
  return governanceStore(await openDatabase(url), workerSecretKey);
}
