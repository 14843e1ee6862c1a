import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/paths';
import { loadSettings, SETTING_NAMES, SettingsError } from '../config/settings';

/** The variable names of the configuration table, cell by cell: a row may name several. */
function documentedNames(): string[] {
  const text = readFileSync(resolve(PROJECT_ROOT, 'docs/configuration.md'), 'utf8');
  const table = text.slice(text.indexOf('| Variable |'));
  const rows = table.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_*]+)`/g)].map((m) => m[1] ?? ''));
}

describe('settings', () => {
  it('are documented exactly: every setting has a row in docs/configuration.md, and every row is a setting', () => {
    const documented = documentedNames();
    expect(documented.length).toBeGreaterThan(30);
    expect([...documented].sort()).toEqual([...SETTING_NAMES].sort());
  });

  it('default to the local stack: the dev server, the project folders, versioned workers named after the queue', () => {
    const settings = loadSettings({});
    expect(settings.temporal).toMatchObject({
      address: 'localhost:7233',
      namespace: 'default',
      taskQueue: 'campaigns',
    });
    expect(settings.paths.outboxDir).toBe(resolve(PROJECT_ROOT, 'outbox'));
    expect(settings.paths.keyDir).toBe(resolve(PROJECT_ROOT, '.data/keys'));
    expect(settings.codec.defaultKeyFile).toBe(resolve(PROJECT_ROOT, '.data/keys/codec-keys.yaml'));
    expect(settings.worker).toEqual({ maxCachedWorkflows: 100, models: { concurrency: 8 }, deployment: 'campaigns' });
    expect(settings.retention).toEqual({ cacheDays: 30, outboxDays: 365 });
    expect(loadSettings({ CAMPAIGN_TASK_QUEUE: 'q1' }).worker.deployment).toBe('q1');
    expect(loadSettings({ CAMPAIGN_DEPLOYMENT: 'none' }).worker.deployment).toBeNull();
  });

  it('are the demo on the local stack only: its database URL file and no database of ones own, or CAMPAIGN_DEMO', () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-stack-'));
    const local = { CAMPAIGN_LOCAL_DATABASE_DIR: join(dir, 'postgres') };
    expect(loadSettings(local).demo).toBe(false);
    writeFileSync(join(dir, 'postgres.url'), 'postgres://local\n');
    expect(loadSettings(local).demo).toBe(true);
    expect(loadSettings({ ...local, CAMPAIGN_DATABASE_URL: 'postgres://shared/db' }).demo).toBe(false);
    expect(loadSettings({ ...local, CAMPAIGN_DEMO: '0' }).demo).toBe(false);
    expect(loadSettings({ CAMPAIGN_DATABASE_URL: 'postgres://shared/db', CAMPAIGN_DEMO: '1' }).demo).toBe(true);
  });

  it('read a blank value as unset, as shells and .env files write it', () => {
    const settings = loadSettings({ CAMPAIGN_MODEL_RATE: '', CAMPAIGN_TASK_QUEUE: ' ', OPENAI_API_KEY: '' });
    expect(settings.worker.models).toEqual({ concurrency: 8 });
    expect(settings.temporal.taskQueue).toBe('campaigns');
    expect(settings.models.apiKey).toBeUndefined();
  });

  it.each([
    [{ CAMPAIGN_MODEL_RATE: 'fast' }, 'CAMPAIGN_MODEL_RATE: must be a number above 0'],
    [{ CAMPAIGN_MODEL_RATE: '-2' }, 'CAMPAIGN_MODEL_RATE: must be a number above 0'],
    [{ CAMPAIGN_MODEL_CONCURRENCY: '2.5' }, 'CAMPAIGN_MODEL_CONCURRENCY: must be a whole number above 0'],
    [{ CAMPAIGN_MAX_CACHED_WORKFLOWS: '0' }, 'CAMPAIGN_MAX_CACHED_WORKFLOWS: must be a whole number above 0'],
    [{ CAMPAIGN_OUTBOX_RETENTION_DAYS: 'forever' }, 'CAMPAIGN_OUTBOX_RETENTION_DAYS: must be a number of days'],
    [{ TEMPORAL_UI_URL: 'localhost' }, 'TEMPORAL_UI_URL: must be a URL'],
    [{ CAMPAIGN_TASK_QUEUE: 'a b' }, 'CAMPAIGN_TASK_QUEUE: must be a name of letters, digits, . _ -'],
    [
      { CAMPAIGN_INBOX_SECRET: 'short' },
      'CAMPAIGN_INBOX_SECRET: must be at least 32 hex digits (`openssl rand -hex 32`)',
    ],
    [{ CAMPAIGN_CODEC_TOKEN: 'abc' }, 'CAMPAIGN_CODEC_TOKEN: must be at least 16 characters'],
    [{ OPENAI_API_MODE: 'completions' }, 'OPENAI_API_MODE: Invalid option: expected one of "responses"|"chat"'],
  ])('name the variable and the problem of %o, in one line', (env, message) => {
    expect(() => loadSettings(env)).toThrow(new SettingsError(message));
  });

  it('name a CAMPAIGN_ variable that is not a setting: a typo, or one an earlier version read', () => {
    const { warnings } = loadSettings({
      CAMPAIGN_DATABSE_URL: 'postgres://x',
      CAMPAIGN_AUDIT_DIR: '/old',
      CAMPAIGN_TASK_QUEUE: 'q',
    });
    expect(warnings).toEqual([
      'CAMPAIGN_AUDIT_DIR is not a setting and is ignored: the audit trail is in the governance store now (CAMPAIGN_DATABASE_URL); move old trails in with `npx campaign audit import DIR`',
      'CAMPAIGN_DATABSE_URL is not a setting and is ignored (see docs/configuration.md)',
    ]);
  });

  it('never echo a value in a refusal: a malformed secret is named, not shown', () => {
    const secret = 'not-hex-but-a-secret-value-0123456789';
    expect(() => loadSettings({ CAMPAIGN_INBOX_SECRET: secret })).toThrow(/CAMPAIGN_INBOX_SECRET/);
    try {
      loadSettings({ CAMPAIGN_INBOX_SECRET: secret });
    } catch (err) {
      expect(String(err)).not.toContain(secret);
    }
  });
});
