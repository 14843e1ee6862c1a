import { Runtime } from '@temporalio/worker';
import { temporalLogger } from './logger';

let installed = false;

/** Routes the SDK's and the workflows' logs through pino; call once before the first connection. */
export function installRuntime(): void {
  if (installed) return;
  // Core's own (Rust) warnings go through the same logger instead of straight to the console.
  Runtime.install({
    logger: temporalLogger(),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
  installed = true;
}
