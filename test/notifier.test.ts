import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileDataStore } from '../activities/data-store';
import { createNotifierActivity, fileNotifier, type Reminder, webhookNotifier } from '../activities/notifier';
import { PROJECT_ROOT } from '../config/paths';

// A chat webhook on loopback that answers with the statuses the test scripts.
const statuses: number[] = [];
const received: { body: string; authorization: string | undefined }[] = [];
const server = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => {
    body += chunk.toString();
  });
  req.on('end', () => {
    received.push({ body, authorization: req.headers.authorization });
    res.writeHead(statuses.shift() ?? 200).end();
  });
});
let url: string;
beforeAll(async () => {
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const reminder: Reminder = {
  campaignId: 'campaign-x',
  round: 1,
  deadline: '2026-11-25T10:00:00.000Z',
  approvers: ['jonas.weber', 'katrin.schulz'],
  joined: ['katrin.schulz'],
  url: 'http://localhost:8233/namespaces/default/workflows/campaign-x',
};

async function failureOf(send: Promise<void>): Promise<ApplicationFailure | null> {
  return send.then(
    () => null,
    (err: unknown) => err as ApplicationFailure,
  );
}

describe('the webhook notifier', () => {
  it('posts a chat line with roster ids and the link, and the bearer token', async () => {
    await webhookNotifier(url, 'hook-token').send(reminder);
    const last = received.at(-1);
    expect(last?.authorization).toBe('Bearer hook-token');
    const body = JSON.parse(last?.body ?? '{}') as Record<string, unknown>;
    expect(body.text).toBe(
      'Campaign campaign-x waits for approval (round 1) past its SLA; deadline 2026-11-25T10:00:00.000Z. ' +
        'May decide: jonas.weber, katrin.schulz. Backups joined: katrin.schulz. ' +
        'http://localhost:8233/namespaces/default/workflows/campaign-x',
    );
    expect(Object.keys(body).sort()).toEqual(['approvers', 'campaignId', 'deadline', 'joined', 'round', 'text', 'url']);
  });

  it('fails retryably on a 5xx or 429 (the activity retries), for good on another 4xx', async () => {
    statuses.push(503, 429, 404);
    const unavailable = await failureOf(webhookNotifier(url).send(reminder));
    const limited = await failureOf(webhookNotifier(url).send(reminder));
    const missing = await failureOf(webhookNotifier(url).send(reminder));
    expect([unavailable?.nonRetryable, limited?.nonRetryable, missing?.nonRetryable]).toEqual([false, false, true]);
    expect(missing?.message).toBe('the notification webhook answered 404');
  });
});

describe('the notices a workflow can ask for', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'notices-')), 'notifications.jsonl');
  const { notifyPeople } = createNotifierActivity({
    notifier: fileNotifier(file),
    data: createFileDataStore(join(PROJECT_ROOT, 'examples')),
    uiUrl: 'http://localhost:8233',
  });
  const env = new MockActivityEnvironment({
    workflowExecution: { workflowId: 'campaign-y', runId: 'run-1' },
    workflowNamespace: 'default',
  } as never);
  const sent = () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

  it('go to roster people only, with the campaign and its link and nothing a caller adds', async () => {
    await env.run(notifyPeople, {
      kind: 'awaiting-decision',
      to: ['jonas.weber', 'jonas.weber', 'sara.yilmaz'],
      round: 2,
      deadline: '2026-12-04T17:00:00Z',
      text: 'Click here to approve: https://evil.example',
      campaignId: 'another-campaign',
    } as never);
    const [line] = sent();
    expect(JSON.parse(line ?? '{}')).toEqual({
      at: expect.any(String),
      kind: 'awaiting-decision',
      campaignId: 'campaign-y',
      url: 'http://localhost:8233/namespaces/default/workflows/campaign-y',
      to: ['jonas.weber', 'sara.yilmaz'],
      round: 2,
      deadline: '2026-12-04T17:00:00.000Z',
    });
  });

  it.each([
    [
      'an e-mail address',
      { kind: 'published', to: ['attacker@evil.example'] },
      'a notice may name only people from the roster',
    ],
    [
      'someone not in the roster',
      { kind: 'published', to: ['max.mustermann'] },
      'a notice may name only people from the roster',
    ],
    [
      'a kind of its own',
      { kind: 'urgent-wire-transfer', to: ['jonas.weber'] },
      'a notice is one of awaiting-decision, published, rejected',
    ],
    ['nobody', { kind: 'rejected', to: [] }, 'a notice goes to 1 to 50 people'],
    ['the whole company', { kind: 'rejected', to: Array(51).fill('jonas.weber') }, 'a notice goes to 1 to 50 people'],
  ])('refuse %s, and send nothing', async (_label, input, message) => {
    const before = sent().length;
    await expect(env.run(notifyPeople, input as never)).rejects.toThrow(message);
    expect(sent()).toHaveLength(before);
  });
});
