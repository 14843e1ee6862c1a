import { Client, Connection, type WorkflowExecutionDescription, WorkflowNotFoundError } from '@temporalio/client';
import { temporalTarget } from '../worker/config';
import { CliError } from './errors';

/** A client for the Temporal named by `TEMPORAL_*` or a profile; a clear error when nothing answers. */
export async function connectClient(): Promise<Client> {
  const { address, namespace, connectionOptions } = temporalTarget();
  try {
    const connection = await Connection.connect({ ...connectionOptions, connectTimeout: 5000 } as Parameters<
      typeof Connection.connect
    >[0]);
    return new Client({ connection, namespace });
  } catch {
    throw new CliError(
      `cannot reach Temporal at ${address}: start it with \`npm start\` or \`npx campaign dev\`, or set TEMPORAL_ADDRESS`,
    );
  }
}

/** The Temporal UI link for a workflow; `TEMPORAL_UI_URL` overrides the dev server's default. */
export function workflowUrl(workflowId: string, namespace = temporalTarget().namespace): string {
  const ui = process.env.TEMPORAL_UI_URL ?? 'http://localhost:8233';
  return `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** Describes a campaign's workflow; an unknown id is a {@link CliError} naming it. */
export async function describeCampaign(client: Client, id: string): Promise<WorkflowExecutionDescription> {
  try {
    return await client.workflow.getHandle(id).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new CliError(`no campaign with id '${id}'`);
    throw err;
  }
}
