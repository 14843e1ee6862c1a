import { settings } from '../config/settings';
import { COSIGN, ensureBinary, TEMPORAL_CLI, TEMPORAL_TEST_SERVER, TEMPORAL_UI_SERVER } from '../devserver/binaries';
import { ensureChromium } from '../devserver/chromium';
import { workflowBundle } from '../worker/workflow-bundle';

/**
 * Provides what the project runs on but npm cannot install: the Temporal CLI (dev server and UI), the time-skipping
 * test server, the UI server with login (built with Go), (with `--browser`, as `npm test` asks) Chromium for the UI tests, and the workflow bundle. Run by `npm start`, `npm test`, CI.
 */
try {
  const cli = ensureBinary(TEMPORAL_CLI);
  const testServer = ensureBinary(TEMPORAL_TEST_SERVER);
  const uiServer = ensureBinary(TEMPORAL_UI_SERVER);
  process.stderr.write(
    `[setup] temporal: ${cli}\n[setup] temporal-test-server: ${testServer}\n[setup] temporal-ui-server: ${uiServer}\n`,
  );
  if (process.argv.includes('--browser')) process.stderr.write(`[setup] chromium: ${ensureChromium()}\n`);
  // The auditors' tool the tests check evidence packs with.
  if (process.argv.includes('--cosign')) process.stderr.write(`[setup] cosign: ${ensureBinary(COSIGN)}\n`);
  // Both variants: clear failures, and encoded ones for workers that encrypt payloads (`npm start` does).
  for (const encodeFailures of [false, true]) {
    const bundle = await workflowBundle({
      cacheDir: settings().paths.bundleDir,
      encodeFailures,
      progress: (line) => process.stderr.write(`[setup] ${line}\n`),
    });
    process.stderr.write(`[setup] workflow bundle: ${bundle.codePath}\n`);
  }
} catch (err) {
  process.stderr.write(`setup: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
