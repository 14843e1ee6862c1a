import { ensureBinary, TEMPORAL_CLI, TEMPORAL_TEST_SERVER } from '../devserver/binaries';
import { ensureChromium } from '../devserver/chromium';

/**
 * Provides what the project runs on but npm cannot install: the Temporal CLI (dev server and UI), the time-skipping
 * test server, and (with `--browser`, as `npm test` asks) Chromium for the UI tests. Run by `npm start`, `npm test`, CI.
 */
try {
  const cli = ensureBinary(TEMPORAL_CLI);
  const testServer = ensureBinary(TEMPORAL_TEST_SERVER);
  process.stderr.write(`[setup] temporal: ${cli}\n[setup] temporal-test-server: ${testServer}\n`);
  if (process.argv.includes('--browser')) process.stderr.write(`[setup] chromium: ${ensureChromium()}\n`);
} catch (err) {
  process.stderr.write(`setup: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
