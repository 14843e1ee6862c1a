import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openGovernanceStore } from '../store/governance-store';
import { runCli } from './support/run-cli';
import { freshDatabase } from './support/test-database';

const url = await freshDatabase();
const store = await openGovernanceStore(url, 'a'.repeat(64));
afterAll(() => store.close());

it('prunes model answers and outbox packages past their retention, after a dry run that removes nothing', async () => {
  const root = mkdtempSync(join(tmpdir(), 'campaign-prune-'));
  const outboxDir = join(root, 'outbox');
  const aged = (path: string, days: number) => {
    const at = new Date(Date.now() - days * 86_400_000);
    utimesSync(path, at, at);
  };
  for (const [key, days] of [
    ['old', 40],
    ['new', 2],
  ] as const) {
    await store.pool.query(
      "INSERT INTO governance.model_responses (key, body, created_at) VALUES ($1, '{}', now() - make_interval(days => $2))",
      [key, days],
    );
  }
  for (const [name, days] of [
    ['campaign-2024', 400],
    ['campaign-now', 1],
  ] as const) {
    mkdirSync(join(outboxDir, name), { recursive: true });
    writeFileSync(join(outboxDir, name, 'package.json'), '{}');
    aged(join(outboxDir, name), days);
  }
  const cached = async () =>
    (await store.pool.query<{ key: string }>('SELECT key FROM governance.model_responses ORDER BY key')).rows.map(
      (r) => r.key,
    );
  const env = { CAMPAIGN_DATABASE_URL: url, CAMPAIGN_OUTBOX_DIR: outboxDir };
  const dry = await runCli(['prune', '--dry-run', '--json'], env);
  expect(JSON.parse(dry.stdout)).toMatchObject({ cache: 1, outbox: ['campaign-2024'], dryRun: true });
  expect(await cached()).toEqual(['new', 'old']);
  const real = await runCli(['prune'], env);
  expect(real.stdout).toContain('removed 1 cached model answer(s) older than 30 days');
  expect(real.stdout).toContain('removed 1 outbox package(s) older than 365 days');
  expect(await cached()).toEqual(['new']);
  expect([existsSync(join(outboxDir, 'campaign-2024')), existsSync(join(outboxDir, 'campaign-now'))]).toEqual([
    false,
    true,
  ]);
  // The audit trail is evidence: nothing in prune, or anywhere in the worker role's reach, can delete it.
  await expect(store.pool.query('DELETE FROM governance.audit_events')).rejects.toThrow(/permission denied/);
  const bad = await runCli(['prune', '--cache-days', 'forever'], env);
  expect(bad).toMatchObject({ code: 2, stderr: "campaign: --cache-days: 'forever' is not a number of days\n" });
});
