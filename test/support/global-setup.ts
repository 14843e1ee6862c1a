import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadSettings } from '../../config/settings';
import { type DevServer, startDevServer } from '../../devserver/dev-server';
import { freePort } from '../../devserver/free-port';
import { type LocalStore, startLocalStore } from '../../devserver/local-store';
import { migrate } from '../../store/database';
import { workflowBundle } from '../../worker/workflow-bundle';
import { quietLogger } from './quiet-logger';
import { TEMPLATE_DATABASE } from './test-database';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    temporalUiUrl: string;
    /** The owner role's URL (to make databases), and the worker role's URL of the run's default database. */
    databaseOwnerUrl: string;
    databaseWorkerUrl: string;
  }
}

let server: DevServer | undefined;
let postgres: LocalStore | undefined;

/** One dev server and one workflow bundle for the whole test run. */
export async function setup(project: TestProject): Promise<void> {
  // The same cached bundle the worker uses: built once per change to workflows/ or domain/.
  const [port, bundle] = await Promise.all([
    freePort(),
    workflowBundle({ cacheDir: loadSettings({}).paths.bundleDir, logger: quietLogger }),
  ]);
  // With the UI, for the browser tests; it costs the server a second at start.
  server = await startDevServer({ port, uiPort: await freePort() });
  // One PostgreSQL server for the run; each test environment copies the migrated template into a database of its own.
  const scratch = mkdtempSync(join(tmpdir(), 'campaign-test-postgres-'));
  postgres = await startLocalStore({ dataDir: join(scratch, 'data'), port: await freePort() });
  const owner = new pg.Client({ connectionString: postgres.postgres.url('owner') });
  await owner.connect();
  await owner.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await owner.end();
  await migrate(postgres.postgres.urlOf(TEMPLATE_DATABASE, 'owner'));
  project.provide('databaseOwnerUrl', postgres.postgres.url('owner'));
  project.provide('databaseWorkerUrl', postgres.url);
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', bundle.codePath);
  project.provide('temporalUiUrl', server.uiUrl ?? '');
}

export async function teardown(): Promise<void> {
  await server?.stop();
  await postgres?.stop();
}
