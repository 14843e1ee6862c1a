import type { Command } from 'commander';
import { settings } from '../config/settings';
import { WORKER_ROLES, type WorkerRole } from '../domain/task-queue';
import { BAD_INPUT, CliError } from './errors';

interface WorkerOptions {
  roles: string;
  deployment?: string;
  buildId?: string;
  makeCurrent?: boolean;
  workflowBundle?: string;
}

/** `campaign worker`: a worker for the Temporal named by `TEMPORAL_*` or a profile. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'run a campaign worker against the configured Temporal (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, profile)',
    )
    .option(
      '--roles <roles>',
      `what this worker takes on, comma-separated: ${WORKER_ROLES.join(', ')}`,
      WORKER_ROLES.join(','),
    )
    .option(
      '--deployment <name>',
      'the worker deployment this build is a version of (default: CAMPAIGN_DEPLOYMENT, else the task queue); none: unversioned',
    )
    .option('--build-id <id>', "this build's id in the worker deployment (default: the hash of the workflow code)")
    .option('--make-current', 'once polling, make this build current: new campaigns start on it')
    .option(
      '--workflow-bundle <file>',
      'run this prebuilt workflow bundle (with --build-id: the build it was made from) instead of the workflow code here',
    )
    .action(async (opts: WorkerOptions) => {
      const roles = opts.roles
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
      const unknown = roles.filter((r) => !(WORKER_ROLES as readonly string[]).includes(r));
      if (roles.length === 0 || unknown.length > 0) {
        throw new CliError(
          `--roles: '${unknown.join(',') || opts.roles}' is not among ${WORKER_ROLES.join(', ')}`,
          BAD_INPUT,
        );
      }
      if (opts.deployment !== undefined && !/^[\w.-]{1,200}$/.test(opts.deployment)) {
        throw new CliError(`--deployment: '${opts.deployment}' is not a name (letters, digits, . _ -)`, BAD_INPUT);
      }
      const base = settings();
      const deployment =
        opts.deployment === undefined ? base.worker.deployment : opts.deployment === 'none' ? null : opts.deployment;
      const chosen = { ...base, worker: { ...base.worker, deployment } };
      if (!deployment && (opts.buildId || opts.makeCurrent)) {
        throw new CliError('--build-id and --make-current need a worker deployment (none runs unversioned)', BAD_INPUT);
      }
      if (opts.buildId !== undefined && !/^[\w.-]{1,100}$/.test(opts.buildId)) {
        throw new CliError(`--build-id: '${opts.buildId}' is not a build id (letters, digits, . _ -)`, BAD_INPUT);
      }
      if (opts.workflowBundle && !opts.buildId) {
        throw new CliError('--workflow-bundle: needs --build-id, the build the bundle was made from', BAD_INPUT);
      }
      // Loaded here, not at the top: the worker SDK's native bridge costs every other command a second of start-up.
      const { runWorker, WorkerStartError } = await import('../worker/main');
      await runWorker(chosen, {
        roles: roles as WorkerRole[],
        // A first deployment makes itself current; after that a new build waits to be made current (or is told to).
        makeCurrent: opts.makeCurrent ? 'always' : 'if-none',
        ...(opts.buildId ? { buildId: opts.buildId } : {}),
        ...(opts.workflowBundle ? { workflowBundlePath: opts.workflowBundle } : {}),
      }).catch((err: unknown) => {
        throw err instanceof WorkerStartError ? new CliError(err.message, 1, { cause: err }) : err;
      });
    });
}
