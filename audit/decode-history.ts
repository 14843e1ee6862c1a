import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto, { type temporal } from '@temporalio/proto';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../codec/aes-gcm-codec';

type History = temporal.api.history.v1.IHistory;
// The proto package is CommonJS: its default export is the namespace.
const { History: HistoryProto } = proto.temporal.api.history.v1;

/** A history that cannot be read: it is encrypted and the keys to read it are not here. Said in one line. */
export class HistoryKeyError extends Error {}

const text = new TextDecoder();

/**
 * A copy of `history` with every encrypted payload decrypted by `codec` (inputs, results, markers, Updates, Signals,
 * failures, memo), so the auditor's checks read what the workers read. A history without encrypted payloads comes
 * back as it is; an encrypted one without a codec, or with a key the codec lacks, is a {@link HistoryKeyError}.
 */
export async function decodeHistory(history: History, codec: PayloadCodec | null): Promise<History> {
  const encrypted: Payload[] = [];
  // A copy, decrypted in place: the caller's history stays as Temporal sent it.
  const copy = HistoryProto.decode(HistoryProto.encode(history).finish());
  walk(copy, (payload) => {
    if (encodingOf(payload) === ENCRYPTED_ENCODING) encrypted.push(payload);
  });
  if (encrypted.length === 0) return history;
  if (!codec) {
    const key = encrypted[0]?.metadata?.[KEY_ID_METADATA];
    throw new HistoryKeyError(
      `the history is encrypted (key '${key ? text.decode(key) : 'unnamed'}') and no payload keys are configured here: ` +
        "set CAMPAIGN_CODEC_KEY_FILE or CAMPAIGN_CODEC_KEYS to the deployment's keys",
    );
  }
  let plain: Payload[];
  try {
    plain = await codec.decode(encrypted);
  } catch (err) {
    throw new HistoryKeyError(`the history cannot be decrypted here: ${err instanceof Error ? err.message : err}`, {
      cause: err,
    });
  }
  encrypted.forEach((payload, i) => {
    const clear = plain[i] as Payload;
    payload.metadata = clear.metadata ?? {};
    payload.data = clear.data ?? new Uint8Array();
  });
  return copy;
}

function encodingOf(payload: Payload): string | undefined {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return encoding ? text.decode(encoding) : undefined;
}

function isPayload(value: unknown): value is Payload {
  if (!value || typeof value !== 'object') return false;
  const { metadata, data } = value as { metadata?: unknown; data?: unknown };
  return (
    !!metadata &&
    typeof metadata === 'object' &&
    METADATA_ENCODING_KEY in (metadata as object) &&
    (data === undefined || data === null || data instanceof Uint8Array)
  );
}

function walk(value: unknown, visit: (payload: Payload) => void): void {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
  if (isPayload(value)) {
    visit(value);
    return;
  }
  for (const child of Array.isArray(value) ? value : Object.values(value)) walk(child, visit);
}
