import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { type DevServer, startDevServer } from '../../devserver/dev-server';
import { freePort } from '../../devserver/free-port';
import { WORKFLOWS_PATH } from '../../worker/create-worker';
import { quietLogger } from './quiet-logger';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    temporalUiUrl: string;
  }
}

let server: DevServer | undefined;
let workDir: string | undefined;

/** One dev server and one workflow bundle for the whole test run. */
export async function setup(project: TestProject): Promise<void> {
  workDir = mkdtempSync(join(tmpdir(), 'campaign-tests-'));
  const [port, bundle] = await Promise.all([
    freePort(),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }),
  ]);
  // With the UI, for the browser tests; it costs the server a second at start.
  server = await startDevServer({ port, uiPort: await freePort() });
  const workflowBundlePath = join(workDir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('temporalUiUrl', server.uiUrl ?? '');
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}
