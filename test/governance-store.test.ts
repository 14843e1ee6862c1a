import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { workflowResult } from '../audit/history-audit';
import type { AuditEvent } from '../domain/audit';
import { verifyTrail } from '../domain/audit-verify';
import { hashOf } from '../domain/hash';
import { checkReceiptChain } from '../domain/receipt';
import { keyIdOf, publicKeyOf } from '../domain/signatures';
import { AuditStoreRefusal } from '../store/audit-trail';
import { DatabaseError, openDatabase } from '../store/database';
import { type GovernanceStore, openGovernanceStore } from '../store/governance-store';
import { freshDatabase } from './support/test-database';

// The governance store on the test run's real PostgreSQL server, each test on a database of its own.
const history = historyFromJSON(
  JSON.parse(
    readFileSync(resolve(import.meta.dirname, 'fixtures/histories/campaign-high-risk-changes-v9.json'), 'utf8'),
  ),
);
const trail = workflowResult(history.events ?? [])?.audit ?? [];
const WORKER_SECRET = 'a'.repeat(64);
const trusted = { [keyIdOf(publicKeyOf(WORKER_SECRET))]: publicKeyOf(WORKER_SECRET) };
const campaignId = trail[0]?.workflowId ?? '';
const runId = trail[0]?.runId ?? '';
const open: GovernanceStore[] = [];

async function store(): Promise<GovernanceStore> {
  const made = await openGovernanceStore(await freshDatabase(), WORKER_SECRET);
  open.push(made);
  return made;
}
afterAll(async () => {
  for (const s of open) await s.close();
});

/** An event with its hash recomputed over what it now says. */
function sealed(event: AuditEvent): AuditEvent {
  const { hash: _, ...rest } = event;
  return { ...rest, hash: hashOf(rest) } as AuditEvent;
}

/** Re-seals events as an attacker who recomputes every hash would. */
function reseal(events: AuditEvent[]): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const event of events) {
    const { hash: _, ...rest } = event;
    const unsealed = { ...rest, seq: out.length + 1, prevHash: out.at(-1)?.hash ?? '0'.repeat(64) };
    out.push({ ...unsealed, hash: hashOf(unsealed) });
  }
  return out;
}

describe('the audit trail in PostgreSQL', () => {
  it('appends a chain once, however often it is handed the same events, and signs its head', async () => {
    expect(trail.length).toBeGreaterThan(10);
    const s = await store();
    expect((await s.trail.append(campaignId, runId, trail.slice(0, 4))).appended).toBe(4);
    expect((await s.trail.append(campaignId, runId, trail.slice(0, 6))).appended).toBe(2);
    expect((await s.trail.append(campaignId, runId, trail)).appended).toBe(trail.length - 6);
    expect((await s.trail.append(campaignId, runId, trail)).appended).toBe(0);
    const stored = await s.trail.read(campaignId);
    expect(stored.events.map((e) => e.hash)).toEqual(trail.map((e) => e.hash));
    expect(verifyTrail(stored.events, { campaignId, checkpoint: stored.checkpoint, trustedKeys: trusted }).ok).toBe(
      true,
    );
    expect(await s.trail.campaigns()).toEqual([campaignId]);
    // Events are claims: they bind nothing. Only the planner, with a verified start, makes a run the campaign.
    expect(await s.bindings.of(campaignId)).toBeNull();
  });

  it.each([
    [
      'an event that differs from the stored one',
      // Sealed correctly, so it passes its own hash: only the stored event 2 can tell it apart.
      (t: AuditEvent[]) => [sealed({ ...(t[1] as AuditEvent), action: 'approve' })],
      /event 2 differs from the stored event 2/,
    ],
    ['a gap', (t: AuditEvent[]) => [t[5] as AuditEvent], /event 6 comes before event 4/],
    [
      'an event whose hash does not cover it',
      (t: AuditEvent[]) => [{ ...(t[3] as AuditEvent), action: 'approve' }],
      /event 4 does not match its own hash/,
    ],
    [
      'an event that does not continue the chain',
      // The right number and a valid seal, but linked to another predecessor than the stored event 3.
      (t: AuditEvent[]) => [sealed({ ...(t[3] as AuditEvent), prevHash: 'e'.repeat(64) })],
      /event 4 does not continue the chain/,
    ],
    [
      "another campaign's event",
      (t: AuditEvent[]) => [{ ...(t[3] as AuditEvent), workflowId: 'other' }],
      /belongs to other/,
    ],
    [
      "another run's event",
      (t: AuditEvent[]) => [{ ...(t[3] as AuditEvent), runId: 'other-run' }],
      /belongs to .* run other-run/,
    ],
  ])('refuses %s and writes nothing', async (_label, make, message) => {
    const s = await store();
    await s.trail.append(campaignId, runId, trail.slice(0, 3));
    await expect(s.trail.append(campaignId, runId, make(trail))).rejects.toThrow(AuditStoreRefusal);
    await expect(s.trail.append(campaignId, runId, make(trail))).rejects.toThrow(message);
    expect((await s.trail.read(campaignId)).events).toHaveLength(3);
  });

  it("keeps another run's events under the same id in a trail of its own: they neither mix in nor block", async () => {
    const s = await store();
    await s.bindings.bind(campaignId, { runId, requestedBy: 'lena.vogel', briefHash: 'h' });
    await s.trail.append(campaignId, runId, trail.slice(0, 3));
    const rogue = reseal(trail.slice(0, 3).map((e) => ({ ...e, runId: 'rogue-run' })));
    expect((await s.trail.append(campaignId, 'rogue-run', rogue)).appended).toBe(3);
    expect((await s.trail.read(campaignId)).events.map((e) => e.hash)).toEqual(trail.slice(0, 3).map((e) => e.hash));
    expect((await s.trail.read(campaignId, 'rogue-run')).events.map((e) => e.runId)).toEqual([
      'rogue-run',
      'rogue-run',
      'rogue-run',
    ]);
    // The campaign is the bound run, and stays so: a second run cannot bind the id.
    expect(
      await s.bindings.bind(campaignId, { runId: 'rogue-run', requestedBy: 'paul.richter', briefHash: 'h' }),
    ).toMatchObject({
      kind: 'taken',
      by: { runId },
    });
  });

  it('never interleaves appends for one campaign: 24 at once, each with an overlapping slice, leave one clean chain', async () => {
    const s = await store();
    const slices = Array.from({ length: 24 }, (_, i) => trail.slice(0, 1 + (i % trail.length)));
    const results = await Promise.allSettled(slices.map((slice) => s.trail.append(campaignId, runId, slice)));
    // A slice that starts past the stored head is refused as a gap; none may corrupt the chain.
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(AuditStoreRefusal);
    const stored = (await s.trail.read(campaignId)).events;
    expect(verifyTrail(stored).ok).toBe(true);
    expect(stored.map((e) => e.hash)).toEqual(trail.slice(0, stored.length).map((e) => e.hash));
    expect(stored.length).toBe(trail.length);
  });

  it('keeps the facts the policies read current as events arrive, by key', async () => {
    const s = await store();
    const before = await s.facts(campaignId, runId);
    expect(before.events).toBe(0);
    await s.trail.append(campaignId, runId, trail);
    const facts = await s.facts(campaignId, runId);
    expect(facts.events).toBe(trail.length);
    const redacted = new Set(
      trail.flatMap((e) => Object.entries(e.privacy?.redacted ?? {}).flatMap(([k, n]) => ((n ?? 0) > 0 ? [k] : []))),
    );
    expect(facts.dataClasses).toEqual([...redacted].sort());
  });
});

describe('the receipts in PostgreSQL', () => {
  it('chain every receipt of a run, one after the other, when 12 activities of the run record at once', async () => {
    const s = await store();
    const fields = (i: number) => ({
      campaignId,
      runId,
      activityType: 'writeVariants',
      activityId: `a${i}`,
      attempt: 1,
      outcome: 'completed' as const,
      inputHash: hashOf(i),
      outputHash: hashOf(-i),
      policy: { decision: 'allow' as const, policyIds: ['p'], policySetHash: hashOf('policies') },
      worker: { identity: 'test', buildId: 'b' },
    });
    const recorded = await Promise.all(Array.from({ length: 12 }, (_, i) => s.receipts.record(fields(i))));
    expect(new Set(recorded.map((r) => r.seq))).toEqual(new Set(Array.from({ length: 12 }, (_, i) => i + 1)));
    const stored = await s.receipts.ofRun(campaignId, runId);
    expect(checkReceiptChain(stored, trusted, campaignId, runId)).toEqual({ receipts: stored, problems: [] });
    expect(stored.map((r) => r.activityId).sort()).toEqual(recorded.map((r) => r.activityId).sort());
  });
});

describe('the worker role', () => {
  let worker: pg.Client;
  beforeAll(async () => {
    const s = await store();
    await s.trail.append(campaignId, runId, trail);
    await s.ledger.reserve(
      { campaignId, runId },
      'variants',
      { costEur: 0.01, tokens: 100 },
      { costEur: 5, tokens: 1e6 },
    );
    await s.publications.claim(campaignId, { runId, contentHash: 'h', publishedBy: 'test' });
    worker = new pg.Client({ connectionString: await databaseOf(s) });
    await worker.connect();
  });
  afterAll(() => worker?.end());

  it.each([
    ['UPDATE governance.audit_events SET body = body', 'audit_events'],
    ['DELETE FROM governance.audit_events', 'audit_events'],
    ['TRUNCATE governance.audit_events', 'audit_events'],
    ['UPDATE governance.checkpoints SET body = body', 'checkpoints'],
    ['DELETE FROM governance.checkpoints', 'checkpoints'],
    ["UPDATE governance.run_bindings SET run_id = 'rogue'", 'run_bindings'],
    ['DELETE FROM governance.run_bindings', 'run_bindings'],
    ['UPDATE governance.spend_ledger SET cost_micro_eur = 0', 'spend_ledger'],
    ['DELETE FROM governance.spend_ledger', 'spend_ledger'],
    ["UPDATE governance.publications SET run_id = 'rogue'", 'publications'],
    ['DELETE FROM governance.publications', 'publications'],
    ['UPDATE governance.campaign_facts SET spent_micro_eur = 0', 'campaign_facts'],
    ["INSERT INTO governance.campaign_facts (campaign_id, run_id) VALUES ('x', 'y')", 'campaign_facts'],
    ['DELETE FROM governance.deployment_facts', 'deployment_facts'],
    ['UPDATE governance.receipts SET body = body', 'receipts'],
    ['DELETE FROM governance.receipts', 'receipts'],
    ["UPDATE governance.decisions SET approver = 'miriam.koch'", 'decisions'],
    ['DELETE FROM governance.decisions', 'decisions'],
    ['UPDATE governance.run_bindings SET legacy = true', 'run_bindings'],
  ])('is refused by the database: %s', async (sql, table) => {
    await expect(worker.query(sql)).rejects.toThrow(`permission denied for table ${table}`);
  });

  it('cannot insert an event that breaks the chain straight into the table: the database checks it too', async () => {
    const last = trail.at(-1) as AuditEvent;
    const forged = { ...last, seq: last.seq + 5 };
    await expect(
      worker.query(
        `INSERT INTO governance.audit_events (campaign_id, seq, run_id, hash, prev_hash, step, action, body)
         VALUES ($1, $2, $3, $4, $5, 'x', 'y', $6)`,
        [campaignId, forged.seq, runId, forged.hash, forged.prevHash, JSON.stringify(forged)],
      ),
    ).rejects.toThrow(`event ${forged.seq} comes before event ${last.seq + 1}`);
    // An event whose columns say one thing and whose body another is refused too.
    const next = reseal([...trail, { ...last, step: 'forged' }]).at(-1) as AuditEvent;
    await expect(
      worker.query(
        `INSERT INTO governance.audit_events (campaign_id, seq, run_id, hash, prev_hash, step, action, body)
         VALUES ($1, $2, $3, $4, $5, 'x', 'y', $6)`,
        [campaignId, next.seq, 'rogue-run', next.hash, next.prevHash, JSON.stringify(next)],
      ),
    ).rejects.toThrow(/event \d+ (comes before|does not match its columns)/);
  });

  it('may not mark a run as in flight across the upgrade (legacy): only the owner can', async () => {
    await expect(
      worker.query(
        `INSERT INTO governance.run_bindings (campaign_id, run_id, requested_by, brief_hash, legacy)
         VALUES ('old-campaign', 'r', 'lena.vogel', 'h', true)`,
      ),
    ).rejects.toThrow('permission denied for table run_bindings');
  });
});

describe('the spend ledger', () => {
  it('never lets two workers reserving for one campaign at once go over its budget (50 rounds of 8 at once)', async () => {
    const s = await store();
    const other = await openGovernanceStore(await databaseOf(s), WORKER_SECRET);
    open.push(other);
    for (let round = 0; round < 50; round++) {
      const run = { campaignId: `budget-${round}`, runId: 'r' };
      const limit = { costEur: 0.05, tokens: 1e9 };
      const estimate = { costEur: 0.012, tokens: 10 };
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? s : other).ledger.reserve(run, 'variants', estimate, limit)),
      );
      // 0.05 / 0.012: exactly four fit, whichever machine asks first.
      expect(results.filter((r) => r.kind === 'reserved')).toHaveLength(4);
      const { reserved } = await s.ledger.spent(run);
      expect(reserved.costEur).toBeLessThanOrEqual(limit.costEur);
    }
  });

  it('counts settled spend in the facts and gives released reservations back', async () => {
    const s = await store();
    const run = { campaignId: 'settled', runId: 'r' };
    const limit = { costEur: 1, tokens: 1e9 };
    const a = await s.ledger.reserve(run, 'brief', { costEur: 0.6, tokens: 10 }, limit);
    expect(a.kind).toBe('reserved');
    expect((await s.ledger.reserve(run, 'brief', { costEur: 0.6, tokens: 10 }, limit)).kind).toBe('over');
    if (a.kind !== 'reserved') return;
    await s.ledger.release(run, a.id, 'brief');
    const b = await s.ledger.reserve(run, 'brief', { costEur: 0.6, tokens: 10 }, limit);
    if (b.kind !== 'reserved') throw new Error('the released reservation still counted');
    await s.ledger.settle(run, b.id, 'brief', { costEur: 0.25, tokens: 7 });
    await s.ledger.settle(run, b.id, 'brief', { costEur: 0.25, tokens: 7 });
    expect(await s.ledger.spent(run)).toEqual({
      settled: { costEur: 0.25, tokens: 7 },
      reserved: { costEur: 0, tokens: 0 },
    });
    expect(await s.facts(run.campaignId, run.runId)).toMatchObject({ spentEur: 0.25, spentTokens: 7 });
  });
});

describe('the publish registry', () => {
  it('lets one of two runs racing to publish an id through two machines claim it, every time (30 rounds)', async () => {
    const s = await store();
    const other = await openGovernanceStore(await databaseOf(s), WORKER_SECRET);
    open.push(other);
    for (let round = 0; round < 30; round++) {
      const id = `race-${round}`;
      const claims = await Promise.all([
        s.publications.claim(id, { runId: 'run-a', contentHash: 'h', publishedBy: 'machine-a' }),
        other.publications.claim(id, { runId: 'run-b', contentHash: 'h', publishedBy: 'machine-b' }),
      ]);
      expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    }
    // A retry of the same publication finds its own claim; other content under the same run does not.
    const winner = await s.publications.of('race-0');
    if (!winner) throw new Error('race-0 has no publication');
    expect((await s.publications.claim('race-0', { ...winner, publishedBy: 'x' })).kind).toBe('claimed');
    expect((await s.publications.claim('race-0', { ...winner, contentHash: 'other' })).kind).toBe('taken');
  });
});

describe('the schema', () => {
  it('is refused in one line by a worker that does not know it', async () => {
    const url = await freshDatabase();
    const owner = new pg.Client({ connectionString: ownerUrlOf(url) });
    await owner.connect();
    await owner.query("INSERT INTO public.schema_migrations (name, run_on) VALUES ('99_from_the_future', now())");
    await owner.end();
    await expect(openDatabase(url)).rejects.toThrow(
      new DatabaseError(
        'the database schema is newer than this code (migration 99_from_the_future): run a build that knows it',
      ),
    );
  });

  it('names an unreachable database without its password', async () => {
    const url = 'postgres://campaign_worker:s3cret-password@127.0.0.1:1/campaigns';
    const err = (await openDatabase(url).then(
      () => new Error('opened'),
      (e: unknown) => e,
    )) as Error;
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err.message).toMatch(/^cannot reach the database at 127\.0\.0\.1:1\/campaigns/);
    expect(err.message).not.toContain('s3cret');
  });
});

/** The worker URL of the database `store` is on. */
async function databaseOf(s: GovernanceStore): Promise<string> {
  const { rows } = await s.pool.query<{ db: string }>('SELECT current_database() AS db');
  const url = new URL(inject('databaseWorkerUrl'));
  url.pathname = `/${rows[0]?.db}`;
  return url.toString();
}

/** The owner role's URL for the database of worker URL `url`. */
function ownerUrlOf(url: string): string {
  const owner = new URL(inject('databaseOwnerUrl'));
  owner.pathname = new URL(url).pathname;
  return owner.toString();
}
