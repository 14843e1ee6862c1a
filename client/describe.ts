import { type Client, type WorkflowExecutionDescription, WorkflowNotFoundError } from '@temporalio/client';
import { ClientError } from './errors';

/** Describes a campaign's workflow; an unknown id is a `not-found` {@link ClientError} naming it. */
export async function describeCampaign(client: Client, id: string): Promise<WorkflowExecutionDescription> {
  try {
    return await client.workflow.getHandle(id).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new ClientError('not-found', `no campaign with id '${id}'`);
    throw err;
  }
}
