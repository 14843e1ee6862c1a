import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { decisionBinding, sealDecision } from '../client/decide';
import { startCampaign } from '../client/start';
import { waitForApproval } from '../client/wait-for-approval';
import { PROJECT_ROOT } from '../config/paths';
import { provisionRosterKeys } from '../devserver/demo-keys';
import { decideUpdate } from '../workflows/messages';
import { GOOD_BRIEF } from './support/campaign-env';
import { freshDatabase } from './support/test-database';

// The worker as operators run it (`campaign worker`, its own process), at debug level: what it logs about campaigns
// names them by workflow and run id, and never carries their brief text or personal data.
const taskQueue = `logs-${Math.random().toString(36).slice(2, 10)}`;
const keyDir = mkdtempSync(join(tmpdir(), 'logs-keys-'));
provisionRosterKeys(resolve(PROJECT_ROOT, 'examples'), keyDir);
let worker: ChildProcess;
let output = '';
let client: Client;
beforeAll(async () => {
  worker = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/campaign.js'), 'worker'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: 'default',
      CAMPAIGN_TASK_QUEUE: taskQueue,
      CAMPAIGN_KEY_DIR: keyDir,
      CAMPAIGN_CODEC_KEY_FILE: 'none',
      CAMPAIGN_OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'logs-outbox-')),
      CAMPAIGN_DATABASE_URL: await freshDatabase(),
      CAMPAIGN_DEMO: '1',
      CAMPAIGN_NOTIFY_FILE: join(mkdtempSync(join(tmpdir(), 'logs-notify-')), 'n.jsonl'),
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  worker.stdout?.on('data', collect);
  worker.stderr?.on('data', collect);
  for (let waited = 0; !output.includes('worker started'); waited += 200) {
    if (waited > 60_000) throw new Error(`the worker did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
});
afterAll(async () => {
  worker?.kill('SIGTERM');
  await client?.connection.close();
});

it('logs campaigns by workflow and run id, and no brief text or personal data, also when a campaign fails', async () => {
  const canary = {
    ...GOOD_BRIEF,
    objective: 'Bestandskunden wechseln lassen, Stichwort LOGCANARY-OBJECTIVE, Kontakt log.canary@example.de',
    // A message the facts support, so the copy carries it and the campaign can be approved.
    keyMessages: [...GOOD_BRIEF.keyMessages, 'Wechsel online mit Code LOGCANARY-MESSAGE'],
  };
  const id = `logs-${Math.random().toString(36).slice(2, 10)}`;
  await startCampaign(client, canary, 'lena.vogel', id, taskQueue, { keyDir });
  const handle = client.workflow.getHandle(id);
  const { contentHash } = await waitForApproval(handle, { timeoutMs: 60_000 });
  const draft = {
    decision: 'approve' as const,
    approver: 'jonas.weber',
    contentHash,
    ...(await decisionBinding(client, id)),
  };
  await handle.executeUpdate(decideUpdate, { args: [sealDecision(id, draft, { keyDir, signaturesRequired: true })] });
  await handle.result();
  // A campaign the policies stop: e-mail to an audience without e-mail consent, started raw.
  const denied = `logs-denied-${Math.random().toString(36).slice(2, 10)}`;
  const raw = { ...canary, audience: { ...canary.audience, purpose: 'analytics' as const } };
  await startCampaign(client, raw, 'lena.vogel', denied, taskQueue, { keyDir }).catch(() => undefined);
  await client.workflow
    .getHandle(denied)
    .result()
    .catch(() => undefined);

  const { runId } = await handle.describe();
  // Everything the worker logged, for certain: it flushes its log (pino writes asynchronously) as it shuts down, and
  // its output is complete once the process has closed; no waiting on a clock.
  const closed = new Promise<void>((done) => worker.once('close', () => done()));
  worker.kill('SIGTERM');
  await closed;
  expect(output).toContain('worker stopped');
  expect(output).toContain(denied);
  expect(output).toContain(runId);
  // The denial is logged, with its reasons, by the activity that was refused.
  expect(output).toMatch(/"msg":"tool call denied"/);
  expect(output).toMatch(/"workflowId":"logs-/);
  for (const secret of ['LOGCANARY-OBJECTIVE', 'LOGCANARY-MESSAGE', 'log.canary@example.de', GOOD_BRIEF.campaign]) {
    expect({ secret, logged: output.includes(secret) }).toEqual({ secret, logged: false });
  }
});
