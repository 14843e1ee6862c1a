import { type Client, type WorkflowExecutionDescription, WorkflowNotFoundError } from '@temporalio/client';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { ClientError } from './errors';

/** Describes a campaign's workflow; an unknown id, or a workflow that is not a campaign, is a `not-found` error. */
export async function describeCampaign(
  client: Client,
  id: string,
  runId?: string,
): Promise<WorkflowExecutionDescription> {
  let description: WorkflowExecutionDescription;
  try {
    description = await client.workflow.getHandle(id, runId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new ClientError('not-found', `no campaign with id '${id}'`);
    throw err;
  }
  if (description.type !== CAMPAIGN_WORKFLOW_TYPE) {
    throw new ClientError('not-found', `'${id}' is not a campaign (its workflow type is ${description.type})`);
  }
  return description;
}
