import { Runtime } from '@temporalio/worker';

// Workers in tests log nothing unless a test fails; the assertions say what went wrong.
const noop = () => undefined;
try {
  Runtime.install({ logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop } });
} catch {
  // Already installed in this process by an earlier test file.
}
