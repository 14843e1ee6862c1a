import type { TestProject } from 'vitest/node';
import { loadSettings } from '../../config/settings';
import { type DevServer, startDevServer } from '../../devserver/dev-server';
import { freePort } from '../../devserver/free-port';
import { workflowBundle } from '../../worker/workflow-bundle';
import { quietLogger } from './quiet-logger';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    temporalUiUrl: string;
  }
}

let server: DevServer | undefined;

/** One dev server and one workflow bundle for the whole test run. */
export async function setup(project: TestProject): Promise<void> {
  // The same cached bundle the worker uses: built once per change to workflows/ or domain/.
  const [port, bundle] = await Promise.all([
    freePort(),
    workflowBundle({ cacheDir: loadSettings({}).paths.bundleDir, logger: quietLogger }),
  ]);
  // With the UI, for the browser tests; it costs the server a second at start.
  server = await startDevServer({ port, uiPort: await freePort() });
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', bundle.codePath);
  project.provide('temporalUiUrl', server.uiUrl ?? '');
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
