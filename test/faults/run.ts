import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { readBriefFile } from '../../client/brief-file';
import { decisionBinding, sealDecision } from '../../client/decide';
import { startCampaign } from '../../client/start';
import { PROJECT_ROOT } from '../../config/paths';
import { driveCampaign, withConcurrency } from '../../devserver/campaign-load';
import { type ProcessStack, startProcessStack } from '../../devserver/process-stack';
import { verifyAuditChain } from '../../domain/audit-verify';
import type { CampaignResult } from '../../domain/campaign';
import { campaignStateQuery, decideUpdate } from '../../workflows/messages';
import { FakeOpenAI } from '../support/fake-openai';
import { campaignScript } from '../support/scripted-model';

/**
 * `npm run test:faults`: campaigns under the faults a production deployment meets, each on a real worker process and a
 * private dev server: the worker killed with SIGKILL at random moments (at least ten times), the server restarted with
 * its database while 50 campaigns wait at the gate, the governance store's PostgreSQL server killed with SIGKILL and
 * started again while campaigns run, and the model server answering 429, 500 and not at all for a while. Every
 * campaign must publish exactly once, with an intact audit trail, no step recorded twice, and the store holding
 * exactly the trail each campaign ended with.
 */
const brief = readBriefFile(resolve(PROJECT_ROOT, 'examples/briefs/green-tariff-launch.yaml'));
const STEPS = ['start', 'plan', 'research', 'brief', 'variants', 'review', 'approval', 'publish'];
/** Notices: one when the gate opens (it goes out while the gate waits, so it may be audited after the approval), one at the end. */
const NOTICES = 2;
const problems: string[] = [];
const say = (line: string) => process.stderr.write(`[faults ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const started = Date.now();

await workerKills();
await serverRestart();
await databaseKills();
await modelOutage();

say(
  problems.length === 0
    ? `PASSED in ${((Date.now() - started) / 1000).toFixed(0)} s`
    : `FAILED:\n  ${problems.join('\n  ')}`,
);
process.exit(problems.length === 0 ? 0 : 1);

/** The worker is killed (SIGKILL) at random moments while campaigns run, at least ten times. */
async function workerKills(): Promise<void> {
  const stack = await startProcessStack({ report: say, maxRestartDelayMs: 2000 });
  const KILLS = 12;
  let kills = 0;
  // Kills at random moments once the worker polls, while the campaigns below run; then the campaigns finish.
  const killer = (async () => {
    while (kills < KILLS) {
      await stack.workerReady(120_000);
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 5000));
      const pid = stack.worker.current?.pid;
      if (!pid) continue;
      process.kill(pid, 'SIGKILL');
      kills += 1;
    }
  })();
  say(`worker kills: 60 campaigns while the worker is killed ${KILLS} times ...`);
  const driven = await withConcurrency(60, 6, (i) =>
    driveCampaign(stack.client, {
      brief,
      workflowId: `kill-${i}`,
      taskQueue: stack.taskQueue,
      keyDir: stack.keyDir,
      gateTimeoutMs: 900_000,
    }),
  );
  const results = driven.map((d) => d.result);
  await killer;
  await stack.workerReady(120_000);
  say(`worker kills: ${kills} SIGKILLs, ${stack.worker.restarts} restarts, ${results.length} campaigns`);
  if (stack.worker.restarts < 10) problems.push(`only ${stack.worker.restarts} worker restarts`);
  checkPublishedOnce(stack, results, 'worker kills');
  await checkStore(stack, results, 'worker kills');
  await stack.stop();
}

/** The dev server is stopped and started again on its database while 50 campaigns wait at the gate. */
async function serverRestart(): Promise<void> {
  const stack = await startProcessStack({ report: say });
  const ids = Array.from({ length: 50 }, (_, i) => `restart-${i}`);
  await withConcurrency(ids.length, 10, (i) =>
    startCampaign(stack.client, brief, 'lena.vogel', ids[i] ?? '', stack.taskQueue, { keyDir: stack.keyDir }),
  );
  await untilAtGate(stack, ids.length);
  say('server restart: 50 campaigns wait at the gate; restarting the server on its database ...');
  await stack.restartServer();
  await stack.workerReady(120_000);
  const results = await withConcurrency(ids.length, 10, async (i) => {
    const handle = stack.client.workflow.getHandle(ids[i] ?? '');
    const { pending } = await handle.query(campaignStateQuery);
    if (!pending) throw new Error(`${ids[i]} lost its approval request over the restart`);
    const draft = {
      decision: 'approve' as const,
      approver: 'jonas.weber',
      contentHash: pending.contentHash,
      ...(await decisionBinding(stack.client, ids[i] ?? '')),
    };
    const decision = sealDecision(ids[i] ?? '', draft, { keyDir: stack.keyDir, signaturesRequired: true });
    await handle.executeUpdate(decideUpdate, { args: [decision] });
    return (await handle.result()) as CampaignResult;
  });
  say(`server restart: ${results.length} campaigns decided after the restart`);
  checkPublishedOnce(stack, results, 'server restart');
  await checkStore(stack, results, 'server restart');
  await stack.stop();
}

/** PostgreSQL (the governance store) is killed with SIGKILL at random moments while 30 campaigns run, and restarted. */
async function databaseKills(): Promise<void> {
  const stack = await startProcessStack({ report: say });
  const KILLS = 4;
  let kills = 0;
  const killer = (async () => {
    while (kills < KILLS) {
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 4000));
      await stack.postgres.kill();
      kills += 1;
      say(`database kills: PostgreSQL killed (${kills}/${KILLS}); down for a moment ...`);
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 2500));
      await stack.postgres.restart();
    }
  })();
  say(`database kills: 30 campaigns while PostgreSQL is killed ${KILLS} times ...`);
  const driven = await withConcurrency(30, 6, (i) =>
    driveCampaign(stack.client, {
      brief,
      workflowId: `db-kill-${i}`,
      taskQueue: stack.taskQueue,
      keyDir: stack.keyDir,
      gateTimeoutMs: 900_000,
    }),
  );
  await killer;
  const results = driven.map((d) => d.result);
  checkPublishedOnce(stack, results, 'database kills');
  await checkStore(stack, results, 'database kills');
  await stack.stop();
}

/** The store holds each campaign's trail exactly as the campaign ended with it: nothing missing, nothing twice. */
async function checkStore(stack: ProcessStack, results: CampaignResult[], phase: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
  try {
    for (const result of results) {
      const id = result.audit[0]?.workflowId ?? '?';
      const rows = await pool.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM governance.audit_events WHERE campaign_id = $1 ORDER BY seq',
        [id],
      );
      const stored = rows.rows.map((r) => `${r.seq}:${r.hash}`).join(',');
      const ended = result.audit.map((e) => `${e.seq}:${e.hash}`).join(',');
      if (stored !== ended)
        problems.push(`${phase}: ${id}: the store holds ${rows.rowCount} events, the campaign ${result.audit.length}`);
    }
  } finally {
    await pool.end();
  }
  say(`${phase}: the store holds every campaign's trail exactly, ${problems.length} problems so far`);
}

/** The model server answers 429, 500 and nothing at all (timeouts) for the first 20 seconds. */
async function modelOutage(): Promise<void> {
  const outageUntil = Date.now() + 20_000;
  let faults = 0;
  const fake = await FakeOpenAI.start(
    campaignScript((_schema, n) => {
      if (Date.now() > outageUntil) return undefined;
      faults += 1;
      const kind = n % 3;
      if (kind === 0) return { status: 429, error: { message: 'slow down' }, headers: { 'retry-after': '1' } };
      if (kind === 1) return { status: 500, error: { message: 'upstream failure' } };
      return { hang: true };
    }),
  );
  // The same model settings with a 3-second call deadline, so a hung call times out quickly.
  const config = join(mkdtempSync(join(tmpdir(), 'faults-models-')), 'models.yaml');
  writeFileSync(
    config,
    readFileSync(resolve(PROJECT_ROOT, 'config/models.yaml'), 'utf8').replace(
      /timeoutSeconds: \d+/,
      'timeoutSeconds: 3',
    ),
  );
  const stack = await startProcessStack({
    report: say,
    workerEnv: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-faults', CAMPAIGN_MODEL_CONFIG: config },
  });
  say('model outage: 10 campaigns while the model server fails for 20 s ...');
  const driven = await withConcurrency(10, 5, (i) =>
    driveCampaign(stack.client, {
      brief,
      workflowId: `model-${i}`,
      taskQueue: stack.taskQueue,
      keyDir: stack.keyDir,
      gateTimeoutMs: 600_000,
    }),
  );
  say(`model outage: ${faults} failed model calls answered, ${driven.length} campaigns`);
  if (faults < 10) problems.push(`model outage: only ${faults} model calls failed, the outage did not bite`);
  checkPublishedOnce(
    stack,
    driven.map((d) => d.result),
    'model outage',
  );
  await stack.stop();
  await fake.close();
}

async function untilAtGate(stack: ProcessStack, count: number): Promise<void> {
  const query = `CampaignStage = "awaiting-approval" AND ExecutionStatus = "Running"`;
  const deadline = Date.now() + 300_000;
  while ((await stack.client.workflow.count(query)).count < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} campaigns reached the gate in 5 minutes`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Every campaign published once: one package each in the outbox, each step audited exactly once, chains intact. */
function checkPublishedOnce(stack: ProcessStack, results: CampaignResult[], phase: string): void {
  for (const result of results) {
    const id = result.audit[0]?.workflowId ?? '?';
    if (result.outcome.kind !== 'published') problems.push(`${phase}: ${id} ended ${result.outcome.kind}`);
    const steps = result.audit.map((e) => e.step);
    const notices = steps.filter((s) => s === 'notice').length;
    const orderly =
      steps.filter((s) => s !== 'notice').join(',') === STEPS.join(',') &&
      notices === NOTICES &&
      steps.at(-1) === 'notice' &&
      steps.indexOf('notice') > steps.indexOf('review');
    if (!orderly) problems.push(`${phase}: ${id} audited ${steps.join(',')}`);
    if (verifyAuditChain(result.audit).kind !== 'intact') problems.push(`${phase}: ${id} audit chain broken`);
  }
  const folders = existsSync(stack.outboxDir) ? readdirSync(stack.outboxDir) : [];
  const leftovers = folders.flatMap((f) =>
    readdirSync(join(stack.outboxDir, f)).filter((file) => file !== 'package.json'),
  );
  if (folders.length !== results.length)
    problems.push(`${phase}: ${folders.length} outbox folders for ${results.length} campaigns`);
  if (leftovers.length > 0) problems.push(`${phase}: stray files in the outbox: ${leftovers.join(', ')}`);
  say(`${phase}: ${results.length} published, ${folders.length} packages, ${problems.length} problems so far`);
}
