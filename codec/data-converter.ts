import { resolve } from 'node:path';
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { PROJECT_ROOT, workerPaths } from '../config/paths';
import { AesGcmCodec } from './aes-gcm-codec';
import { loadCodecKeys } from './codec-keys';

/**
 * The failure converter of workers that encrypt payloads (and of their workflow bundle): messages and stacks travel as
 * encoded payloads, so the codec encrypts them too. Without a codec, failures stay readable in the UI.
 */
export const FAILURE_CONVERTER_PATH = resolve(PROJECT_ROOT, 'workflows', 'failure-converter.cjs');

/** Where `npm start` keeps the payload keys, and where clients and workers look when nothing else is configured. */
export function defaultCodecKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(workerPaths(env).keyDir, 'codec-keys.yaml');
}

/** The payload codec configured in `env` (see `loadCodecKeys`), or null when payloads are not encrypted. */
export function codecFromEnv(env: NodeJS.ProcessEnv = process.env): PayloadCodec | null {
  const keys = loadCodecKeys(env, defaultCodecKeyFile(env));
  return keys ? new AesGcmCodec(keys) : null;
}

/** The data converter for a worker or a client: with a codec, the codec and the encoding failure converter. */
export function campaignDataConverter(codec: PayloadCodec | null): DataConverter {
  return codec ? { failureConverterPath: FAILURE_CONVERTER_PATH, payloadCodecs: [codec] } : {};
}
