import { BinaryUnavailableError, ensureBinary, TEMPORAL_CLI, TEMPORAL_TEST_SERVER } from '../devserver/binaries';

/** Provides the Temporal CLI and the time-skipping test server; run by `npm start`, `npm test` and CI. */
try {
  const cli = ensureBinary(TEMPORAL_CLI);
  const testServer = ensureBinary(TEMPORAL_TEST_SERVER);
  process.stderr.write(`[setup] temporal: ${cli}\n[setup] temporal-test-server: ${testServer}\n`);
} catch (err) {
  if (!(err instanceof BinaryUnavailableError)) throw err;
  process.stderr.write(`setup: ${err.message}\n`);
  process.exit(1);
}
