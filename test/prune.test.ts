import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from './support/run-cli';

it('prunes model answers and outbox packages past their retention, after a dry run that removes nothing', async () => {
  const root = mkdtempSync(join(tmpdir(), 'campaign-prune-'));
  const cacheDir = join(root, 'cache');
  const outboxDir = join(root, 'outbox');
  mkdirSync(cacheDir);
  const aged = (path: string, days: number) => {
    const at = new Date(Date.now() - days * 86_400_000);
    utimesSync(path, at, at);
  };
  for (const [name, days] of [
    ['old.json', 40],
    ['new.json', 2],
  ] as const) {
    writeFileSync(join(cacheDir, name), '{}');
    aged(join(cacheDir, name), days);
  }
  for (const [name, days] of [
    ['campaign-2024', 400],
    ['campaign-now', 1],
  ] as const) {
    mkdirSync(join(outboxDir, name), { recursive: true });
    writeFileSync(join(outboxDir, name, 'package.json'), '{}');
    aged(join(outboxDir, name), days);
  }
  const env = { CAMPAIGN_CACHE_DIR: cacheDir, CAMPAIGN_OUTBOX_DIR: outboxDir };
  const dry = await runCli(['prune', '--dry-run', '--json'], env);
  expect(JSON.parse(dry.stdout)).toMatchObject({ cache: ['old.json'], outbox: ['campaign-2024'], dryRun: true });
  expect(existsSync(join(cacheDir, 'old.json'))).toBe(true);
  const real = await runCli(['prune'], env);
  expect(real.stdout).toContain('removed 1 cached model answer(s) older than 30 days');
  expect(real.stdout).toContain('removed 1 outbox package(s) older than 365 days');
  expect([existsSync(join(cacheDir, 'old.json')), existsSync(join(cacheDir, 'new.json'))]).toEqual([false, true]);
  expect([existsSync(join(outboxDir, 'campaign-2024')), existsSync(join(outboxDir, 'campaign-now'))]).toEqual([
    false,
    true,
  ]);
  const bad = await runCli(['prune', '--cache-days', 'forever'], env);
  expect(bad).toMatchObject({ code: 2, stderr: "campaign: --cache-days: 'forever' is not a number of days\n" });
});
