import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { campaignDataConverter, codecFromEnv } from '../codec/data-converter';
import { TASK_QUEUE } from '../domain/task-queue';
import { ClientError, firstLineOf } from './errors';

/** Where Temporal is: the address, the namespace and the connection options (TLS, API key) to reach it. */
export interface TemporalTarget {
  address: string;
  namespace: string;
  connectionOptions: ReturnType<typeof loadClientConnectConfig>['connectionOptions'];
  /** The task queue campaigns run on: `CAMPAIGN_TASK_QUEUE`, else `campaigns`. */
  taskQueue: string;
}

/** Where to find Temporal: `TEMPORAL_*` variables or a profile via `@temporalio/envconfig`, else localhost:7233. */
export function temporalTarget(env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars: env as Record<string, string> });
  const address = connectionOptions.address ?? 'localhost:7233';
  return {
    address,
    namespace: namespace ?? 'default',
    connectionOptions: { ...connectionOptions, address },
    taskQueue: env.CAMPAIGN_TASK_QUEUE || TASK_QUEUE,
  };
}

/**
 * A client for the Temporal named by `TEMPORAL_*` or a profile, encrypting payloads when a codec key is configured
 * (`CAMPAIGN_CODEC_*`, or the key file `npm start` makes); a clear error when nothing answers.
 */
export async function connectClient(
  target: TemporalTarget = temporalTarget(),
  codec: PayloadCodec | null = codecFromEnv(),
): Promise<Client> {
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

/** The Temporal UI link for a workflow; `TEMPORAL_UI_URL` overrides the dev server's default. */
export function workflowUrl(workflowId: string, namespace = temporalTarget().namespace): string {
  const ui = process.env.TEMPORAL_UI_URL ?? 'http://localhost:8233';
  return `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
