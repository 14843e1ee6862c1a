import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { PROJECT_ROOT } from '../config/paths';
import { loadSettings } from '../config/settings';
import { stopProcess } from './child-process';
import { describeDeployment, runningOn } from './deployment';
import { bundlePath, sourceHash } from './workflow-bundle';

/** The worker processes kept alive by {@link superviseWorker}. */
export interface SupervisedWorker {
  /** The process of the current build, if one runs now. */
  readonly current: ChildProcess | undefined;
  /** The build the current process runs, once it has said so. */
  readonly currentBuild: string | undefined;
  /** The processes of older builds that still run campaigns pinned to them, by build id. */
  readonly draining: ReadonlyMap<string, ChildProcess>;
  /** How many times a worker died and was started again. */
  readonly restarts: number;
  /** Looks now (instead of at the next interval) for builds that need a worker or no longer do. */
  reconcile(): Promise<void>;
  /** Stops every worker (SIGTERM, then SIGKILL after `graceMs`) and resolves once all have exited. */
  stop(): Promise<void>;
}

/** How supervised workers are started, what is said when they die, and whether they follow the code. */
export interface SupervisorOptions {
  /** Environment of the worker processes, on top of this process's own. */
  env: Record<string, string>;
  /** Where the loud lines go; stderr by default. */
  report?: (line: string) => void;
  graceMs?: number;
  /** The longest wait before a restart; 30 s unless a test wants its faults faster. */
  maxDelayMs?: number;
  /**
   * Versioned workers: the current build is made current as soon as it polls, and each older build that still has
   * campaigns pinned to it keeps a worker (from its cached workflow bundle) until they have finished.
   */
  versions?: {
    client: Client;
    deploymentName: string;
    /** The workflow bundle cache, where older builds' bundles are found by their build id. */
    bundleDir: string;
    /** Whether the workers encrypt payloads, which selects the bundle variant. */
    encodeFailures: boolean;
    /** How often to look for builds that need a worker or no longer do; 10 s by default. */
    checkEveryMs?: number;
  };
  /** Start a new worker when a TypeScript source changes: a new build when the workflow code changed. */
  watch?: boolean;
}

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
/** A worker that lived this long counts as healthy again: its next death restarts after the first delay. */
const HEALTHY_AFTER_MS = 60_000;
/** The folders whose TypeScript a worker loads; a change there means a new worker (and maybe a new build). */
const WATCHED = [
  'workflows',
  'domain',
  'activities',
  'policies',
  'worker',
  'codec',
  'keys',
  'config',
  'client',
  'audit',
];

interface Slot {
  process: ChildProcess;
  startedAt: number;
  buildId?: string;
}

/**
 * Runs `campaign worker` as child processes and keeps them running: the current build's worker is started again
 * whenever it dies (a crash, an out-of-memory kill, SIGKILL), with a backoff from 1 s to 30 s, saying so loudly each
 * time. Campaigns live in Temporal, so none is lost: the activities that were running time out and are retried on the
 * new worker. With `versions`, every campaign stays on the build it started on: when the workflow code changes, the
 * new build becomes current and the old build's worker stays until its campaigns have finished, so a change to
 * workflow code needs no patch here.
 */
export function superviseWorker(options: SupervisorOptions): SupervisedWorker {
  const report = options.report ?? ((line: string) => process.stderr.write(`${line}\n`));
  const graceMs = options.graceMs ?? 30_000;
  const maxDelayMs = options.maxDelayMs ?? MAX_DELAY_MS;
  const versions = options.versions;
  let current: Slot | undefined;
  const draining = new Map<string, Slot>();
  const missingBundles = new Set<string>();
  let stopping = false;
  let restarts = 0;
  let delay = FIRST_DELAY_MS;
  let restartTimer: NodeJS.Timeout | undefined;
  let reconciling: Promise<void> | undefined;

  // A versioned worker (the default) that the supervisor starts is the build the code here is: current at once.
  const versioned = loadSettings({ ...process.env, ...options.env }).worker.deployment !== null;
  const spawnWorker = (args: string[]): ChildProcess =>
    spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin', 'campaign.js'), 'worker', ...args], {
      env: { ...process.env, ...options.env, ...(versions ? { CAMPAIGN_DEPLOYMENT: versions.deploymentName } : {}) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });

  const startCurrent = () => {
    restartTimer = undefined;
    const slot: Slot = { process: spawnWorker(versioned ? ['--make-current'] : []), startedAt: Date.now() };
    current = slot;
    slot.process.on('message', (message: { kind?: string; buildId?: string }) => {
      if (message?.kind !== 'worker-started' || !message.buildId) return;
      slot.buildId = message.buildId;
      // Back on a build that was draining: the new worker serves its campaigns too.
      const old = draining.get(message.buildId);
      if (old && slot === current) {
        draining.delete(message.buildId);
        void stopProcess(old.process, graceMs);
      }
      // Older builds with campaigns still on them need their workers now, not at the next look.
      void reconcile();
    });
    watchExit(slot);
  };

  const startDraining = (buildId: string, codePath: string) => {
    const slot: Slot = {
      process: spawnWorker(['--build-id', buildId, '--workflow-bundle', codePath]),
      startedAt: Date.now(),
      buildId,
    };
    draining.set(buildId, slot);
    watchExit(slot);
  };

  /** A current worker that dies is started again after the backoff; a draining one at the next look. */
  const watchExit = (slot: Slot) => {
    slot.process.once('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      if (slot.buildId && draining.get(slot.buildId) === slot) {
        draining.delete(slot.buildId);
        report(
          `!!! WORKER OF BUILD ${slot.buildId} DIED (${how}); it is started again from its bundle while campaigns ` +
            'still run on that build.',
        );
        return;
      }
      if (slot !== current) return;
      current = undefined;
      const lived = Date.now() - slot.startedAt;
      delay = lived > HEALTHY_AFTER_MS ? FIRST_DELAY_MS : delay;
      restarts += 1;
      report(
        `!!! WORKER DIED (${how}) after ${(lived / 1000).toFixed(1)} s; ` +
          `starting worker #${restarts + 1} in ${delay / 1000} s. No campaign is lost: they live in Temporal, and ` +
          'the steps that were running are retried on the new worker.',
      );
      restartTimer = setTimeout(startCurrent, delay);
      delay = Math.min(delay * 2, maxDelayMs);
    });
  };

  /** Starts a worker for every older build that still runs campaigns, and stops those whose campaigns are done. */
  const reconcileOnce = async () => {
    if (!versions || stopping) return;
    const { client, deploymentName } = versions;
    const { builds } = await describeDeployment(client, deploymentName);
    for (const buildId of builds) {
      if (buildId === current?.buildId) continue;
      const running = await runningOn(client, { deploymentName, buildId });
      const slot = draining.get(buildId);
      if (running > 0 && !slot) {
        const codePath = bundlePath(versions.bundleDir, buildId, versions.encodeFailures);
        if (existsSync(codePath)) {
          report(
            `${running} campaign(s) run on build ${buildId}, whose workflow code is not today's: a worker of that ` +
              'build (from its cached bundle) serves them until they finish.',
          );
          startDraining(buildId, codePath);
        } else if (!missingBundles.has(buildId)) {
          missingBundles.add(buildId);
          report(
            `!!! ${running} campaign(s) are pinned to build ${buildId}, whose workflow bundle is not in ${versions.bundleDir}: ` +
              `they wait until a worker of that build runs (check out its code and run \`npx campaign worker\`).`,
          );
        }
      } else if (running === 0 && slot) {
        draining.delete(buildId);
        report(`build ${buildId} has no running campaigns left: its worker stops.`);
        await stopProcess(slot.process, graceMs);
      }
    }
  };
  const reconcile = () => {
    reconciling ??= reconcileOnce()
      .catch(() => {
        // Temporal is restarting or busy: the next look will do.
      })
      .finally(() => {
        reconciling = undefined;
      });
    return reconciling;
  };

  /** A source changed: a new build when the workflow code did (the old one drains), else a fresh worker of it. */
  const onSourceChange = () => {
    if (stopping || !current) return;
    const previous = current;
    const build = sourceHash();
    if (versions && previous.buildId && previous.buildId !== build) {
      report(
        `workflow code changed: build ${build} starts and becomes current; campaigns on build ${previous.buildId} ` +
          'stay on it, with its worker, until they finish.',
      );
      draining.set(previous.buildId, previous);
      current = undefined;
      startCurrent();
      return;
    }
    if (previous.buildId === undefined) return;
    report('code changed: starting a fresh worker.');
    current = undefined;
    void stopProcess(previous.process, graceMs).then(() => {
      if (!stopping) startCurrent();
    });
  };

  startCurrent();
  const interval = versions ? setInterval(() => void reconcile(), versions.checkEveryMs ?? 10_000) : undefined;
  const watchers: FSWatcher[] = options.watch ? watchSources(onSourceChange) : [];
  // File events can be lost (inotify limits on a busy machine, editors that replace files): the workflow code's hash is
  // also looked at every 2 s, so a new build never waits for an event that did not come.
  const polling =
    options.watch && versions
      ? setInterval(() => {
          if (current?.buildId && sourceHash() !== current.buildId) onSourceChange();
        }, 2000)
      : undefined;

  return {
    get current() {
      return current?.process;
    },
    get currentBuild() {
      return current?.buildId;
    },
    get draining() {
      return new Map([...draining].map(([id, slot]) => [id, slot.process]));
    },
    get restarts() {
      return restarts;
    },
    reconcile,
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      if (interval) clearInterval(interval);
      if (polling) clearInterval(polling);
      for (const watcher of watchers) watcher.close();
      await reconciling;
      const all = [current, ...draining.values()].flatMap((slot) => (slot ? [slot.process] : []));
      await Promise.all(all.map((child) => stopProcess(child, graceMs)));
    },
  };
}

/** Watches the worker's source folders; calls `changed` once per burst of saves to TypeScript files. */
function watchSources(changed: () => void): FSWatcher[] {
  let timer: NodeJS.Timeout | undefined;
  return WATCHED.flatMap((folder) => {
    const dir = resolve(PROJECT_ROOT, folder);
    if (!existsSync(dir)) return [];
    return [
      watch(dir, { recursive: true }, (_event, name) => {
        if (!name || !/\.(ts|cjs)$/.test(String(name))) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(changed, 500);
      }),
    ];
  });
}
