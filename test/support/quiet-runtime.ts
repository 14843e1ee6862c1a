import { Runtime } from '@temporalio/worker';

import { quietLogger } from './quiet-logger';

// Workers in tests log nothing unless a test fails; the assertions say what went wrong.
try {
  Runtime.install({
    logger: quietLogger,
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
} catch {
  // Already installed in this process by an earlier test file.
}
