import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { type ReplayReport, replayCampaigns, replayCampaign as replayOne } from '../audit/replay';
import { readBriefFile } from '../client/brief-file';
import { decisionBinding, sealDecision } from '../client/decide';
import { workflowPollers } from '../client/pollers';
import { startCampaign } from '../client/start';
import { waitForApproval } from '../client/wait-for-approval';
import { PROJECT_ROOT } from '../config/paths';
import { settings } from '../config/settings';
import { driveCampaign, withConcurrency } from '../devserver/campaign-load';
import { provisionRosterKeys } from '../devserver/demo-keys';
import { startDevServer } from '../devserver/dev-server';
import { freePort } from '../devserver/free-port';
import { startLocalStore } from '../devserver/local-store';
import { processStats } from '../devserver/proc-stats';
import type { PendingApproval } from '../domain/campaign';
import { openReadingStore, openWorkerStore } from '../store/open-store';
import { productionDeps } from '../worker/create-worker';
import { rootLogger } from '../worker/logger';
import { installRuntime } from '../worker/runtime';
import { workflowBundle } from '../worker/workflow-bundle';
import { campaignStateQuery, decideUpdate } from '../workflows/messages';
import { governedCallMs } from './governed-call';
import { type GoalCheck, median, quantile, verdict } from './measure';
import { milestones } from './milestones';

const { temporal } = proto;

/**
 * `npm run bench`: every figure measured in this run against its baseline on a private dev server (SQLite file, WAL),
 * with each worker in a process of its own so its CPU and memory can be read. Writes bench/results/latest.json and
 * latest.md. `BENCH_ROUNDS` (default 3) interleaved rounds for the throughput figures; `BENCH_PARKED` (500).
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PARKED = Number(process.env.BENCH_PARKED ?? 500);
const say = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const brief = readBriefFile(resolve(PROJECT_ROOT, 'examples/briefs/green-tariff-launch.yaml'));
const scratch = mkdtempSync(join(tmpdir(), 'campaign-bench-'));
const keyDir = join(scratch, 'keys');
provisionRosterKeys(settings().paths.dataDir, keyDir);
// The replay harness logs every worker it starts; the bench's own lines are what matters here.
rootLogger.level = settings().logLevel ?? 'warn';
installRuntime();

say('building the bundles and starting a dev server ...');
const governedBundle = await workflowBundle({ cacheDir: settings().paths.bundleDir, progress: say });
const bare = await bundleWorkflowCode({ workflowsPath: resolve(PROJECT_ROOT, 'bench/bare-workflow.ts') });
const bareBundle = join(scratch, 'bare-workflow.js');
writeFileSync(bareBundle, bare.code);
const port = await freePort();
const server = await startDevServer({ port, uiPort: port + 1, headless: true, dbFilename: join(scratch, 'db.sqlite') });
// The governance store every worker shares, as in production: a PostgreSQL server of the bench's own.
const local = await startLocalStore({ dataDir: join(scratch, 'postgres'), port: await freePort() });
const client = new Client({ connection: await Connection.connect({ address: server.address }) });
const workers: ChildProcess[] = [];
let serial = 0;

type Variant = 'governed' | 'ungoverned' | 'bare';

/** Starts a worker process and resolves once it polls; returns it with the seconds that took. */
async function startWorker(command: string[], taskQueue: string): Promise<{ child: ChildProcess; seconds: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, command, {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: 'default',
      CAMPAIGN_TASK_QUEUE: taskQueue,
      CAMPAIGN_OUTBOX_DIR: join(scratch, 'outbox'),
      CAMPAIGN_KEY_DIR: keyDir,
      CAMPAIGN_DATABASE_URL: local.url,
      CAMPAIGN_DEMO: '1',
      BENCH_SCRATCH: scratch,
      BENCH_BARE_BUNDLE: bareBundle,
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`worker ${command.join(' ')} exited with ${child.exitCode}`);
    const pollers = await workflowPollers(client, taskQueue);
    if (pollers.some((p) => p.identity.startsWith(`${child.pid}@`))) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, seconds: (Date.now() - started) / 1000 };
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const benchWorker = (mode: string) => ['--import', 'tsx', resolve(PROJECT_ROOT, 'bench/worker.ts'), mode];

/** Drives one campaign (or bare workflow) from start to its result, the client waiting at the gate by Update. */
async function drive(variant: Variant, taskQueue: string): Promise<string> {
  const workflowId = `bench-${variant}-${++serial}`;
  if (variant !== 'bare') {
    await driveCampaign(client, { brief, workflowId, taskQueue, keyDir });
    return workflowId;
  }
  const handle = await client.workflow.start('bareWorkflow', { taskQueue, workflowId, args: [] });
  const { contentHash } = await waitForApproval(handle);
  await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', approver: 'jonas.weber', contentHash }] });
  await handle.result();
  return workflowId;
}

// --- throughput, worker and server CPU: interleaved rounds of the three variants --------------------------------
const variants: Variant[] = ['governed', 'ungoverned', 'bare'];
const running = new Map<Variant, { child: ChildProcess; taskQueue: string }>();
for (const variant of variants) {
  const taskQueue = `bench-${variant}`;
  const { child } = await startWorker(benchWorker(variant), taskQueue);
  running.set(variant, { child, taskQueue });
  await drive(variant, taskQueue); // warm-up: the first workflow task loads the bundle
}
const throughput: Record<Variant, { c10: number[]; c1: number[]; workerCpuMs: number[]; serverCpuMs: number[] }> = {
  governed: { c10: [], c1: [], workerCpuMs: [], serverCpuMs: [] },
  ungoverned: { c10: [], c1: [], workerCpuMs: [], serverCpuMs: [] },
  bare: { c10: [], c1: [], workerCpuMs: [], serverCpuMs: [] },
};
const governedIds: string[] = [];
const bareIds: string[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (const variant of variants) {
    const { child, taskQueue } = running.get(variant) ?? { child: undefined, taskQueue: '' };
    const n10 = 40;
    const cpuBefore = processStats(child?.pid)?.cpuMs ?? 0;
    const serverBefore = processStats(server.pid)?.cpuMs ?? 0;
    let started = Date.now();
    const ids = await withConcurrency(n10, 10, () => drive(variant, taskQueue));
    throughput[variant].c10.push(n10 / ((Date.now() - started) / 1000));
    throughput[variant].workerCpuMs.push(((processStats(child?.pid)?.cpuMs ?? 0) - cpuBefore) / n10);
    throughput[variant].serverCpuMs.push(((processStats(server.pid)?.cpuMs ?? 0) - serverBefore) / n10);
    if (variant === 'governed') governedIds.push(...ids);
    if (variant === 'bare') bareIds.push(...ids);
    const n1 = 10;
    started = Date.now();
    await withConcurrency(n1, 1, () => drive(variant, taskQueue));
    throughput[variant].c1.push(n1 / ((Date.now() - started) / 1000));
    say(
      `round ${round} ${variant}: ${throughput[variant].c10.at(-1)?.toFixed(1)}/s at 10 concurrent, ` +
        `${throughput[variant].c1.at(-1)?.toFixed(1)}/s sequential, worker CPU ${throughput[variant].workerCpuMs.at(-1)?.toFixed(0)} ms per campaign`,
    );
  }
}

// --- the governed call against the length of the campaign's trail -----------------------------------------------
say('governed call: the interceptor on a campaign with 10 and with 200 events, facts by key against a rescan ...');
const callStore = await openWorkerStore({
  database: {
    ...settings().database,
    url: local.url,
    workerKeyFile: join(keyDir, 'worker', 'worker.key'),
    workerKeysFile: join(keyDir, 'worker-keys.yaml'),
  },
  demo: true,
});
const callDeps = productionDeps(
  {
    ...settings(),
    demo: true,
    paths: { ...settings().paths, keyDir },
    database: { ...settings().database, workerKeysFile: join(keyDir, 'worker-keys.yaml') },
  },
  callStore,
);
const governedCall: Record<string, { p50: number; p95: number }> = {};
for (const trailLength of [10, 200]) {
  governedCall[`facts${trailLength}`] = await governedCallMs(callDeps, brief, { trailLength, calls: 200 });
  governedCall[`rescan${trailLength}`] = await governedCallMs(callDeps, brief, {
    trailLength,
    calls: 200,
    rescan: true,
  });
}
await callStore.close();

// --- approval latency, gate notice, events and bytes: sequential governed campaigns --------------------------------
say('approval latency and gate notice (30 sequential campaigns, waiting by Update and by 100 ms polling) ...');
const governedQueue = running.get('governed')?.taskQueue ?? '';
const notice: { update: number[]; polling: number[] } = { update: [], polling: [] };
const approvalToStarted: number[] = [];
const approvalToCompleted: number[] = [];
const events: { polled: number[]; waited: number[] } = { polled: [], waited: [] };
const bytes: { polled: number[]; waited: number[] } = { polled: [], waited: [] };
for (let i = 0; i < 30; i++) {
  const byUpdate = i % 2 === 0;
  const workflowId = `bench-latency-${i}`;
  await startCampaign(client, brief, 'lena.vogel', workflowId, governedQueue, { keyDir });
  const handle = client.workflow.getHandle(workflowId);
  const pending = byUpdate ? await waitForApproval(handle) : await pollForGate(handle);
  const seenAt = Date.now();
  const draft = {
    decision: 'approve' as const,
    approver: 'jonas.weber',
    contentHash: pending.contentHash,
    ...(await decisionBinding(client, workflowId)),
  };
  await handle.executeUpdate(decideUpdate, {
    args: [sealDecision(workflowId, draft, { keyDir, signaturesRequired: true })],
  });
  await handle.result();
  const history = await handle.fetchHistory();
  const times = milestones(history);
  (byUpdate ? notice.update : notice.polling).push(seenAt - times.gateOpened);
  approvalToStarted.push(times.publishStarted - times.decisionAccepted);
  approvalToCompleted.push(times.completed - times.decisionAccepted);
  (byUpdate ? events.waited : events.polled).push(history.events?.length ?? 0);
  (byUpdate ? bytes.waited : bytes.polled).push(temporal.api.history.v1.History.encode(history).finish().length);
}
const bareHistories = await Promise.all(bareIds.slice(0, 10).map((id) => client.workflow.getHandle(id).fetchHistory()));
const bareEvents = median(bareHistories.map((h) => h.events?.length ?? 0));
const bareBytes = median(bareHistories.map((h) => temporal.api.history.v1.History.encode(h).finish().length));

// --- replay plus audit check -------------------------------------------------------------------------------------
say(
  'replaying 40 campaign histories with the audit check (one replay worker, as `campaign replay` does), and 40 bare ones ...',
);
const governedHistories = await Promise.all(
  governedIds.slice(0, 40).map((id) => client.workflow.getHandle(id).fetchHistory()),
);
const bareReplay = await Promise.all(
  bareIds
    .slice(0, 40)
    .map(async (id) => ({ workflowId: id, history: await client.workflow.getHandle(id).fetchHistory() })),
);
const replayStore = await openReadingStore({ ...settings(), database: { ...settings().database, url: local.url } });
const replayOptions = { workflowBundle: governedBundle, trail: replayStore.trail, outboxDir: join(scratch, 'outbox') };
const replay = { governed: [] as number[], perHistory: [] as number[], bare: [] as number[] };
const assertSound = (report: ReplayReport) => {
  if (!report.deterministic || !report.consistent) throw new Error(`replay of ${report.workflowId} failed`);
};
for (let round = 0; round < 3; round++) {
  let started = Date.now();
  for await (const report of replayCampaigns(governedHistories, replayOptions)) assertSound(report);
  replay.governed.push(governedHistories.length / ((Date.now() - started) / 1000));
  // The way `campaign replay` went before: a replay worker per history, then its audit check.
  started = Date.now();
  for (const history of governedHistories.slice(0, 20)) assertSound(await replayOne(history, replayOptions));
  replay.perHistory.push(20 / ((Date.now() - started) / 1000));
  started = Date.now();
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bareBundle } }, bareReplay)) {
    if (result.error) throw result.error;
  }
  replay.bare.push(bareReplay.length / ((Date.now() - started) / 1000));
}
await replayStore.close();
for (const { child } of running.values()) await stopWorker(child);

// --- worker memory with campaigns parked at the gate ---------------------------------------------------------------
say(`worker memory (\`campaign worker\`) with ${PARKED} campaigns parked at the gate ...`);
const parkQueue = 'bench-parked';
// The worker users run: `campaign worker`, compiled (built first, so the build's esbuild is not in its memory).
execFileSync(process.execPath, [resolve(PROJECT_ROOT, 'bin/campaign.js'), '--version'], { stdio: 'ignore' });
const parker = await startWorker([resolve(PROJECT_ROOT, 'bin/campaign.js'), 'worker'], parkQueue);
await drive('governed', parkQueue);
const idleRss = processStats(parker.child.pid)?.rssMiB ?? 0;
await withConcurrency(PARKED, 25, (i) =>
  startCampaign(client, brief, 'lena.vogel', `bench-parked-${i}`, parkQueue, { keyDir }),
);
const parkedQuery = `TaskQueue = "${parkQueue}" AND CampaignStage = "awaiting-approval" AND ExecutionStatus = "Running"`;
for (;;) {
  const { count } = await client.workflow.count(parkedQuery);
  if (count >= PARKED) break;
  await new Promise((r) => setTimeout(r, 1000));
}
await new Promise((r) => setTimeout(r, 3000));
const parkedRss = processStats(parker.child.pid)?.rssMiB ?? 0;
await withConcurrency(PARKED, 25, (i) => client.workflow.getHandle(`bench-parked-${i}`).terminate('bench done'));
await stopWorker(parker.child);

// --- worker start: the CLI with the cached bundle against the old way (TypeScript loader, bundling at start) ------
say('worker start times ...');
const startTimes: number[] = [];
for (let i = 0; i < 3; i++) {
  const started = await startWorker([resolve(PROJECT_ROOT, 'bin/campaign.js'), 'worker'], `bench-start-${i}`);
  startTimes.push(started.seconds);
  await stopWorker(started.child);
}
const unbundled = await startWorker(benchWorker('unbundled'), 'bench-start-unbundled');
await stopWorker(unbundled.child);

// --- CLI command time: compiled JavaScript against the TypeScript loader -----------------------------------------
say('CLI command times ...');
const cliEnv = { ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default' };
const timeCommand = (command: string, args: string[]) => {
  const started = process.hrtime.bigint();
  execFileSync(command, args, { cwd: PROJECT_ROOT, env: cliEnv, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e9;
};
const statusOf = governedIds[0] ?? 'none';
timeCommand(process.execPath, [resolve(PROJECT_ROOT, 'bin/campaign.js'), 'status', statusOf]);
const cli = { compiled: [] as number[], npx: [] as number[], tsx: [] as number[] };
const npx = resolve(dirname(process.execPath), 'npx');
for (let i = 0; i < 5; i++) {
  cli.compiled.push(timeCommand(process.execPath, [resolve(PROJECT_ROOT, 'bin/campaign.js'), 'status', statusOf]));
  cli.npx.push(timeCommand(npx, ['campaign', 'status', statusOf]));
  cli.tsx.push(
    timeCommand(process.execPath, ['--import', 'tsx', resolve(PROJECT_ROOT, 'cli/main.ts'), 'status', statusOf]),
  );
}

await client.connection.close();
await server.stop();
await local.stop();
rmSync(scratch, { recursive: true, force: true });

// --- results -------------------------------------------------------------------------------------------------------
const m = (variant: Variant, key: 'c10' | 'c1' | 'workerCpuMs' | 'serverCpuMs') => median(throughput[variant][key]);
const results = {
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
    rounds: ROUNDS,
  },
  campaignsPerSecond: {
    governed: { c10: m('governed', 'c10'), c1: m('governed', 'c1') },
    ungoverned: { c10: m('ungoverned', 'c10'), c1: m('ungoverned', 'c1') },
    bare: { c10: m('bare', 'c10'), c1: m('bare', 'c1') },
  },
  governedVsBare: m('governed', 'c10') / m('bare', 'c10'),
  governedVsBareSequential: m('governed', 'c1') / m('bare', 'c1'),
  governedVsUngoverned: m('governed', 'c10') / m('ungoverned', 'c10'),
  workerCpuMsPerCampaign: m('governed', 'workerCpuMs'),
  workerCpuMsPerCampaignBare: m('bare', 'workerCpuMs'),
  workerCpuMsPerCampaignUngoverned: m('ungoverned', 'workerCpuMs'),
  serverCpuMsPerCampaign: m('governed', 'serverCpuMs'),
  serverCpuMsPerCampaignBare: m('bare', 'serverCpuMs'),
  approvalToPublishStartedMs: { p50: quantile(approvalToStarted, 0.5), p95: quantile(approvalToStarted, 0.95) },
  approvalToCompletedMs: { p50: quantile(approvalToCompleted, 0.5), p95: quantile(approvalToCompleted, 0.95) },
  gateNoticeMs: {
    update: { p50: quantile(notice.update, 0.5), p95: quantile(notice.update, 0.95) },
    polling100ms: { p50: quantile(notice.polling, 0.5), p95: quantile(notice.polling, 0.95) },
  },
  replayHistoriesPerSecond: median(replay.governed),
  replayHistoriesPerSecondOneWorkerEach: median(replay.perHistory),
  replayHistoriesPerSecondBare: median(replay.bare),
  eventsPerCampaign: median(events.polled),
  eventsPerCampaignWithGateWaiter: median(events.waited),
  eventsPerCampaignBare: bareEvents,
  historyBytesPerCampaign: median(bytes.polled),
  historyBytesPerCampaignWithGateWaiter: median(bytes.waited),
  historyBytesPerCampaignBare: bareBytes,
  workerRssMbIdle: idleRss,
  workerRssMbAt500Parked: parkedRss,
  parkedCampaigns: PARKED,
  workerStartSeconds: median(startTimes),
  workerStartSecondsUnbundledTsx: unbundled.seconds,
  cliSeconds: median(cli.compiled),
  cliSecondsNpx: median(cli.npx),
  cliSecondsTsx: median(cli.tsx),
  governedCallMs: governedCall,
};
const cpuRatio = results.workerCpuMsPerCampaign / results.workerCpuMsPerCampaignBare;
// The goals of issue 21, each against its baseline in this run where it has one.
const goals = {
  c10: { name: 'governed / bare, 10 concurrent', value: results.governedVsBare, unit: '', goal: 0.8, kind: 'min' },
  c1: {
    name: 'governed / bare, sequential',
    value: results.governedVsBareSequential,
    unit: '',
    goal: 0.9,
    kind: 'min',
  },
  cpu: { name: 'worker CPU / bare', value: cpuRatio, unit: '', goal: 2.5, kind: 'max' },
  replay: { name: 'replay + audit', value: results.replayHistoriesPerSecond, unit: '/s', goal: 100, kind: 'min' },
  events: { name: 'events per campaign', value: results.eventsPerCampaign, unit: '', goal: 50, kind: 'max' },
  rss: { name: `RSS, ${PARKED} parked`, value: parkedRss, unit: 'MiB', goal: 450, kind: 'max' },
  status: { name: 'status', value: results.cliSecondsNpx, unit: 's', goal: 0.4, kind: 'max' },
  approval: {
    name: 'approval → completed p95',
    value: results.approvalToCompletedMs.p95,
    unit: 'ms',
    goal: 100,
    kind: 'max',
  },
  call: {
    // The call on a long trail may cost at most a quarter more than on a short one: it reads one row either way.
    name: 'governed call, 200 events / 10 events',
    value: (governedCall.facts200?.p50 ?? Number.NaN) / (governedCall.facts10?.p50 ?? Number.NaN),
    unit: '',
    goal: 1.25,
    kind: 'max',
  },
} satisfies Record<string, GoalCheck>;
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const table = [
  `Measured ${results.machine.date.slice(0, 10)} on ${results.machine.cores} × ${results.machine.cpu}, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}; offline model; medians of ${ROUNDS} interleaved rounds; \`npm run bench\`.`,
  '',
  '| figure | this build | baseline in the same run | goal | verdict |',
  '|---|---|---|---|---|',
  `| campaigns/s at 10 concurrent | ${fmt(m('governed', 'c10'))} governed, ${fmt(m('ungoverned', 'c10'))} without governance | ${fmt(m('bare', 'c10'))} bare Temporal | governed/bare ≥ 0.8 | ${fmt(results.governedVsBare, 2)}: ${verdict(goals.c10)} |`,
  `| campaigns/s sequential | ${fmt(m('governed', 'c1'))} governed, ${fmt(m('ungoverned', 'c1'))} without governance | ${fmt(m('bare', 'c1'))} bare | governed/bare ≥ 0.9 | ${fmt(results.governedVsBareSequential, 2)}: ${verdict(goals.c1)} |`,
  `| worker CPU per campaign | ${fmt(results.workerCpuMsPerCampaign, 0)} ms (${fmt(results.workerCpuMsPerCampaignUngoverned, 0)} without governance) | ${fmt(results.workerCpuMsPerCampaignBare, 0)} ms bare | ≤ 2.5 × bare | ${fmt(cpuRatio, 1)} ×: ${verdict(goals.cpu)} |`,
  `| server CPU per campaign | ${fmt(results.serverCpuMsPerCampaign, 0)} ms | ${fmt(results.serverCpuMsPerCampaignBare, 0)} ms bare | | |`,
  `| replay + audit check | ${fmt(results.replayHistoriesPerSecond, 0)} histories/s, one replay worker (\`campaign replay\`) | ${fmt(results.replayHistoriesPerSecondOneWorkerEach, 0)}/s with a replay worker per history; ${fmt(results.replayHistoriesPerSecondBare, 0)}/s bare (replay only) | ≥ 100/s | ${verdict(goals.replay)} |`,
  `| history events per campaign | ${fmt(results.eventsPerCampaign, 0)} (${fmt(results.eventsPerCampaignWithGateWaiter, 0)} with a client waiting by Update) | ${fmt(bareEvents, 0)} bare (with waiter) | ≤ 50 | ${verdict(goals.events)} |`,
  `| history bytes per campaign (protobuf) | ${fmt(results.historyBytesPerCampaign / 1024)} KiB | ${fmt(bareBytes / 1024)} KiB bare | | |`,
  `| worker RSS (\`campaign worker\`, all roles), ${PARKED} campaigns parked at the gate | ${fmt(parkedRss, 0)} MiB | ${fmt(idleRss, 0)} MiB idle | ≤ 450 MiB | ${verdict(goals.rss)} |`,
  `| worker start (process start to polling) | ${fmt(results.workerStartSeconds)} s, \`campaign worker\`, cached bundle | ${fmt(unbundled.seconds)} s bundling at start | | |`,
  `| CLI command (\`status\`) | ${fmt(results.cliSecondsNpx, 2)} s through \`npx campaign\`, ${fmt(results.cliSeconds, 2)} s \`node bin/campaign.js\` | ${fmt(results.cliSecondsTsx, 2)} s with the TypeScript loader | ≤ 0.4 s | ${verdict(goals.status)} |`,
  `| approval accepted → publish started | p50 ${fmt(results.approvalToPublishStartedMs.p50, 0)} ms, p95 ${fmt(results.approvalToPublishStartedMs.p95, 0)} ms | | | |`,
  `| approval accepted → completed | p50 ${fmt(results.approvalToCompletedMs.p50, 0)} ms, p95 ${fmt(results.approvalToCompletedMs.p95, 0)} ms | | p95 ≤ 100 ms | ${verdict(goals.approval)} |`,
  `| governed call (interceptor), trail of 10 → 200 events | p50 ${fmt(governedCall.facts10?.p50 ?? Number.NaN, 2)} → ${fmt(governedCall.facts200?.p50 ?? Number.NaN, 2)} ms (facts by key) | p50 ${fmt(governedCall.rescan10?.p50 ?? Number.NaN, 2)} → ${fmt(governedCall.rescan200?.p50 ?? Number.NaN, 2)} ms rescanning the trail | no growth | ${verdict(goals.call)} |`,
  `| client notices the gate | p50 ${fmt(results.gateNoticeMs.update.p50, 0)} ms, p95 ${fmt(results.gateNoticeMs.update.p95, 0)} ms (Update) | p50 ${fmt(results.gateNoticeMs.polling100ms.p50, 0)} ms, p95 ${fmt(results.gateNoticeMs.polling100ms.p95, 0)} ms (query every 100 ms) | | |`,
].join('\n');
const outDir = resolve(PROJECT_ROOT, 'bench/results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(outDir, 'latest.md'), `${table}\n`);
// The README shows the last run's table between its markers.
const readmePath = resolve(PROJECT_ROOT, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const marked = /(<!-- bench:start -->\n)[\s\S]*?(\n<!-- bench:end -->)/;
if (marked.test(readme)) writeFileSync(readmePath, readme.replace(marked, `$1${table}$2`));
else say('README.md has no <!-- bench:start --> / <!-- bench:end --> markers: its table is not updated');
console.log(table);
say(`wrote ${join(outDir, 'latest.json')}, latest.md and the README's table`);
process.exit(0);

/** The old way to notice the gate: ask the workflow every 100 ms. */
async function pollForGate(handle: WorkflowHandle): Promise<PendingApproval> {
  for (;;) {
    const { pending } = await handle.query(campaignStateQuery);
    if (pending) return pending;
    await new Promise((r) => setTimeout(r, 100));
  }
}
