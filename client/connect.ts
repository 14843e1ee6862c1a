import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { campaignDataConverter } from '../codec/data-converter';
import type { TemporalSettings } from '../config/settings';
import { ClientError, firstLineOf } from './errors';

/**
 * A client for the Temporal the settings name, encrypting payloads with `codec` when one is configured; a clear error
 * when nothing answers.
 */
export async function connectClient(target: TemporalSettings, codec: PayloadCodec | null): Promise<Client> {
  const { address, namespace, connectionOptions } = target;
  try {
    const connection = await Connection.connect({ ...connectionOptions, connectTimeout: 5000 } as Parameters<
      typeof Connection.connect
    >[0]);
    return new Client({ connection, namespace, dataConverter: campaignDataConverter(codec) });
  } catch (err) {
    throw new ClientError(
      'unreachable',
      `cannot reach Temporal at ${address}: start it with \`npm start\` or \`npx campaign dev\`, or set TEMPORAL_ADDRESS (${firstLineOf(err)})`,
      { cause: err },
    );
  }
}
