import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../config/paths';

/** A worker process kept alive by {@link superviseWorker}. */
export interface SupervisedWorker {
  /** The worker process running now, if any. */
  readonly current: ChildProcess | undefined;
  /** How many times a worker died and was started again. */
  readonly restarts: number;
  /** Stops the worker (SIGTERM, then SIGKILL after `graceMs`) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** How a supervised worker is started and what is said when it dies. */
export interface SupervisorOptions {
  /** Environment of the worker process, on top of this process's own. */
  env: Record<string, string>;
  /** Where the loud lines go; stderr by default. */
  report?: (line: string) => void;
  graceMs?: number;
  /** The longest wait before a restart; 30 s unless a test wants its faults faster. */
  maxDelayMs?: number;
}

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
/** A worker that lived this long counts as healthy again: its next death restarts after the first delay. */
const HEALTHY_AFTER_MS = 60_000;

/**
 * Runs `campaign worker` as a child process and starts a new one whenever it dies (a crash, an out-of-memory kill,
 * SIGKILL), with a backoff from 1 s to 30 s, saying so loudly each time. Campaigns live in Temporal, so none is lost:
 * the activities that were running time out and are retried on the new worker.
 */
export function superviseWorker(options: SupervisorOptions): SupervisedWorker {
  const report = options.report ?? ((line: string) => process.stderr.write(`${line}\n`));
  const graceMs = options.graceMs ?? 30_000;
  const maxDelayMs = options.maxDelayMs ?? MAX_DELAY_MS;
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let delay = FIRST_DELAY_MS;
  let timer: NodeJS.Timeout | undefined;

  const start = () => {
    timer = undefined;
    const startedAt = Date.now();
    const worker = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin', 'campaign.js'), 'worker'], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child = worker;
    worker.once('exit', (code, signal) => {
      if (child === worker) child = undefined;
      if (stopping) return;
      const lived = Date.now() - startedAt;
      delay = lived > HEALTHY_AFTER_MS ? FIRST_DELAY_MS : delay;
      restarts += 1;
      report(
        `!!! WORKER DIED (${signal ? `signal ${signal}` : `exit code ${code}`}) after ${(lived / 1000).toFixed(1)} s; ` +
          `starting worker #${restarts + 1} in ${delay / 1000} s. No campaign is lost: they live in Temporal, and ` +
          'the steps that were running are retried on the new worker.',
      );
      timer = setTimeout(start, delay);
      delay = Math.min(delay * 2, maxDelayMs);
    });
  };
  start();

  return {
    get current() {
      return child;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      const worker = child;
      if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
      const exited = new Promise<void>((done) => worker.once('exit', () => done()));
      worker.kill('SIGTERM');
      const kill = setTimeout(() => worker.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    },
  };
}
