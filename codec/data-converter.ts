import { resolve } from 'node:path';
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { PROJECT_ROOT } from '../config/paths';
import type { CodecSettings } from '../config/settings';
import { loadCodecKeys } from '../keys/codec-keys';
import { AesGcmCodec } from './aes-gcm-codec';

/**
 * The failure converter of workers that encrypt payloads (and of their workflow bundle): messages and stacks travel as
 * encoded payloads, so the codec encrypts them too. Without a codec, failures stay readable in the UI.
 */
export const FAILURE_CONVERTER_PATH = resolve(PROJECT_ROOT, 'workflows', 'failure-converter.cjs');

/** The payload codec the settings configure (see `loadCodecKeys`), or null when payloads are not encrypted. */
export function codecFrom(settings: CodecSettings): PayloadCodec | null {
  const keys = loadCodecKeys(settings);
  return keys ? new AesGcmCodec(keys) : null;
}

/** The data converter for a worker or a client: with a codec, the codec and the encoding failure converter. */
export function campaignDataConverter(codec: PayloadCodec | null): DataConverter {
  return codec ? { failureConverterPath: FAILURE_CONVERTER_PATH, payloadCodecs: [codec] } : {};
}
