import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../devserver/free-port';
import { localCertificate } from '../devserver/local-certificate';
import { runCli } from './support/run-cli';

// Each wrong invocation: one line on stderr naming the option and the problem, a non-zero exit, nothing on stdout.
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  busyPort = await freePort();
  busy = createServer();
  await new Promise<void>((done) => busy.listen(busyPort, '127.0.0.1', done));
});
afterAll(() => new Promise<void>((done) => busy.close(() => done())));

it.each([
  [['approve', 'some-campaign'], 2, 'campaign: --as: required (your roster id)'],
  [['reject', 'some-campaign', '--as', 'jonas.weber'], 2, 'campaign: --reason: required'],
  [['request-changes', 'some-campaign', '--as', 'jonas.weber'], 2, 'campaign: --feedback: required'],
  [
    ['start', 'examples/briefs/green-tariff-launch.yaml', '--requested-by', 'lena.vogel', '--id', '../escape'],
    2,
    'campaign: --id: start with a letter or digit, then letters, digits, ".", "_" or "-" (at most 200)',
  ],
  [['dev', '--port', 'seventy'], 2, "campaign: --port: 'seventy' is not a port"],
  [['worker', '--roles', 'models,gpu'], 2, "campaign: --roles: 'gpu' is not among workflows, models, publish, data"],
  [
    ['worker', '--deployment', 'none', '--make-current'],
    2,
    'campaign: --build-id and --make-current need a worker deployment (none runs unversioned)',
  ],
  [['budget', 'some-campaign', '--as', 'jonas.weber'], 2, 'campaign: give exactly one of --raise EUR and --stop'],
  [
    ['budget', 'some-campaign', '--as', 'jonas.weber', '--raise', 'lots'],
    2,
    "campaign: --raise: 'lots' is not an amount in euros between 0 and 10000 (e.g. 2.50)",
  ],
  [['codec-server', '--port', 'x'], 2, "campaign: --port: 'x' is not a port"],
  [['inbox', '--as', 'Not An Id'], 2, 'campaign: --as: a roster id (lower-case letters, digits, "." and "-")'],
])('campaign %s → exit %i', async (args, code, line) => {
  const run = await runCli(args);
  expect(run).toMatchObject({ code, stdout: '' });
  expect(run.stderr).toBe(`${line}\n`);
});

it('names a port that is already taken instead of starting a second dev server', async () => {
  const run = await runCli(['dev', '--port', String(busyPort), '--no-worker']);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe(`campaign: --port: port ${busyPort} is in use (is another \`campaign dev\` running?)\n`);
});

it('rejects an unknown command with a usage error', async () => {
  const run = await runCli(['publish-now']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/unknown command 'publish-now'/);
});

it('names a setting that does not parse before doing anything, in one line', async () => {
  const run = await runCli(['status', 'some-campaign'], { CAMPAIGN_MODEL_RATE: 'fast' });
  expect(run).toEqual({
    code: 2,
    stdout: '',
    stderr: 'campaign: settings: CAMPAIGN_MODEL_RATE: must be a number above 0\n',
  });
});

it('names a governance database it cannot reach in one line, without its password', async () => {
  const run = await runCli(['audit', 'verify', 'some-campaign'], {
    CAMPAIGN_DATABASE_URL: 'postgres://campaign_worker:do-not-print@127.0.0.1:1/campaigns',
  });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^campaign: cannot reach the database at 127\.0\.0\.1:1\/campaigns: .*\n$/);
  expect(run.stderr).not.toContain('do-not-print');
  expect(run.stderr.split('\n')).toHaveLength(2);
});

describe('the codec server with logins, misconfigured', () => {
  const KEYS = `k1:${Buffer.alloc(32, 3).toString('base64')}`;
  const LOGIN = { CAMPAIGN_CODEC_KEYS: KEYS, CAMPAIGN_OIDC_ISSUER: 'https://login.example.com' };
  it.each([
    [
      'no client id',
      [],
      LOGIN,
      "campaign: CAMPAIGN_OIDC_CLIENT_ID: required with CAMPAIGN_OIDC_ISSUER (the Temporal UI's client id there, the ID tokens' audience)",
    ],
    [
      'no certificate',
      [],
      { ...LOGIN, CAMPAIGN_OIDC_CLIENT_ID: 'temporal-ui' },
      'campaign: with logins the codec server serves HTTPS (the UI sends tokens only to https:// endpoints): give --tls-cert and --tls-key',
    ],
    [
      'a certificate without its key',
      ['--tls-cert', 'cert.pem'],
      LOGIN,
      'campaign: --tls-cert and --tls-key go together',
    ],
  ])('refuses %s in one line, exit 2', async (_label, args, env, line) => {
    const run = await runCli(['codec-server', '--port', '0', ...args], env);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });

  it('refuses a stamping key the trust list does not hold, and says which line to add', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codec-login-'));
    const { certFile } = await localCertificate(join(dir, 'tls'));
    const keyFile = join(dir, 'tls', 'localhost.key');
    const run = await runCli(['codec-server', '--port', '0', '--tls-cert', certFile, '--tls-key', keyFile], {
      ...LOGIN,
      CAMPAIGN_OIDC_CLIENT_ID: 'temporal-ui',
      CAMPAIGN_KEY_DIR: join(dir, 'keys'),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^campaign: the login service's stamping key ed25519:[0-9a-f]{16} is not in the trust list .*login-keys\.yaml: add "ed25519:[0-9a-f]{16}: [0-9a-f]{64}" under keys there/,
    );
  });
});
