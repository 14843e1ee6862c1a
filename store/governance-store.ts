import type pg from 'pg';
import { type AuditTrail, pgAuditTrail } from './audit-trail';
import { type CampaignFacts, pgCampaignFacts } from './campaign-facts';
import { openDatabase } from './database';
import { pgResponseCache } from './model-cache';
import { type PublicationRegistry, pgPublicationRegistry } from './publications';
import { pgSpendLedger, type SpendLedger } from './spend-ledger';

/**
 * Everything that governs, in one PostgreSQL database that every worker machine shares: the audit trail and its
 * checkpoints, the spend ledger, the publish registry, the campaign-to-run bindings, the facts the policies read, and
 * the cache of paid model answers.
 */
export interface GovernanceStore {
  trail: AuditTrail;
  ledger: SpendLedger;
  publications: PublicationRegistry;
  /** A run's facts, by key. */
  facts(campaignId: string, runId: string): Promise<CampaignFacts>;
  cache: ReturnType<typeof pgResponseCache>;
  /** The pool, for the tools that read across tables (the auditors' export, the tests). */
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

/** The store on `pool`; checkpoints are signed with `workerSecretKey` (hex), the key of this machine's worker. */
export function governanceStore(pool: pg.Pool, workerSecretKey: string): GovernanceStore {
  return {
    trail: pgAuditTrail(pool, workerSecretKey),
    ledger: pgSpendLedger(pool),
    publications: pgPublicationRegistry(pool),
    facts: pgCampaignFacts(pool),
    cache: pgResponseCache(pool),
    pool,
    close: () => pool.end(),
  };
}

/** Opens the store at `url` (checked: reachable, and on the schema this code knows). */
export async function openGovernanceStore(url: string, workerSecretKey: string): Promise<GovernanceStore> {
  return governanceStore(await openDatabase(url), workerSecretKey);
}
