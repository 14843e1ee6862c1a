import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Reminder, webhookNotifier } from '../activities/notifier';

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
