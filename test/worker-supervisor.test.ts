import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { decisionBinding, sealDecision } from '../client/decide';
import { startCampaign } from '../client/start';
import { waitForApproval } from '../client/wait-for-approval';
import { PROJECT_ROOT } from '../config/paths';
import { provisionRosterKeys } from '../devserver/demo-keys';
import { superviseWorker } from '../worker/supervisor';
import { decideUpdate } from '../workflows/messages';
import { GOOD_BRIEF } from './support/campaign-env';
import { freshDatabase } from './support/test-database';

const taskQueue = `supervised-${Math.random().toString(36).slice(2, 10)}`;
const keyDir = mkdtempSync(join(tmpdir(), 'supervised-keys-'));
provisionRosterKeys(resolve(PROJECT_ROOT, 'examples'), keyDir);
const lines: string[] = [];
const supervised = superviseWorker({
  env: {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'default',
    CAMPAIGN_TASK_QUEUE: taskQueue,
    CAMPAIGN_OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'supervised-outbox-')),
    CAMPAIGN_KEY_DIR: keyDir,
    CAMPAIGN_DATABASE_URL: await freshDatabase(),
    CAMPAIGN_DEMO: '1',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    LOG_LEVEL: 'error',
  },
  report: (line) => lines.push(line),
});
const client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
afterAll(async () => {
  await supervised.stop();
  await client.connection.close();
});

describe('the worker supervisor behind `campaign dev`', () => {
  it('starts a new worker after the first is killed, says so, and the waiting campaign still publishes', async () => {
    const id = `supervised-${Math.random().toString(36).slice(2, 10)}`;
    await startCampaign(client, GOOD_BRIEF, 'lena.vogel', id, taskQueue, { keyDir });
    const handle = client.workflow.getHandle(id);
    const { contentHash } = await waitForApproval(handle, { timeoutMs: 60_000 });

    const first = supervised.current;
    expect(first?.pid).toBeGreaterThan(0);
    first?.kill('SIGKILL');
    await expect.poll(() => supervised.restarts, { timeout: 10_000 }).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^!!! WORKER DIED \(signal SIGKILL\) after [\d.]+ s; starting worker #2/),
    ]);

    // The decision reaches the campaign through the new worker.
    const draft = {
      decision: 'approve' as const,
      approver: 'jonas.weber',
      contentHash,
      ...(await decisionBinding(client, id)),
    };
    await handle.executeUpdate(decideUpdate, { args: [sealDecision(id, draft, { keyDir, signaturesRequired: true })] });
    const result = (await handle.result()) as { outcome: { kind: string } };
    expect(result.outcome.kind).toBe('published');
    expect(supervised.current?.pid).not.toBe(first?.pid);
  });
});
