import { Runtime } from '@temporalio/worker';
import { temporalLogger } from './logger';

let installed = false;

/** Routes the SDK's and the workflows' logs through pino; call once before the first connection. */
export function installRuntime(): void {
  if (installed) return;
  Runtime.install({ logger: temporalLogger() });
  installed = true;
}
