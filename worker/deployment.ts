import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import type { DeploymentVersion } from './create-worker';

export type { DeploymentVersion };

const { RoutingConfigUpdateState } = proto.temporal.api.enums.v1;

/** A worker deployment as the server sees it: its current build (null before the first) and every build it knows. */
export interface DeploymentState {
  current: string | null;
  builds: string[];
}

/** The deployment's current build and known builds; a deployment the server has never seen has neither. */
export async function describeDeployment(client: Client, deploymentName: string): Promise<DeploymentState> {
  try {
    const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({
      namespace: client.options.namespace,
      deploymentName,
    });
    return {
      current: workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId || null,
      builds: (workerDeploymentInfo?.versionSummaries ?? []).flatMap((v) =>
        v.deploymentVersion?.buildId ? [v.deploymentVersion.buildId] : [],
      ),
    };
  } catch (err) {
    // NOT_FOUND: no worker of the deployment has polled yet.
    if ((err as { code?: number }).code === 5) return { current: null, builds: [] };
    throw err;
  }
}

/** How many campaigns still run pinned to `version`: its workers are needed until this is 0. */
export async function runningOn(client: Client, version: DeploymentVersion): Promise<number> {
  const query =
    `WorkflowType = "${CAMPAIGN_WORKFLOW_TYPE}" AND ExecutionStatus = "Running" AND ` +
    `TemporalWorkerDeploymentVersion = "${version.deploymentName}:${version.buildId}"`;
  return (await client.workflow.count(query)).count;
}

/**
 * Makes `version` the current version of its worker deployment, so new campaigns start on it while running ones stay
 * pinned to theirs: waits until the server has seen its workers poll, sets it current, and waits until routing has
 * changed everywhere. Its workers must poll every task queue the current version's do (all roles), or the server
 * refuses.
 */
export async function makeCurrentVersion(
  client: Client,
  version: DeploymentVersion,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const { namespace } = client.options;
  const { deploymentName, buildId } = version;
  const until = Date.now() + (options.timeoutMs ?? 30_000);
  const describe = () => client.workflowService.describeWorkerDeployment({ namespace, deploymentName });
  let lastProblem = '';
  for (;;) {
    try {
      const { workerDeploymentInfo } = await describe();
      if (workerDeploymentInfo?.versionSummaries?.some((v) => v.deploymentVersion?.buildId === buildId)) {
        await client.workflowService.setWorkerDeploymentCurrentVersion({ namespace, deploymentName, buildId });
        break;
      }
      lastProblem = `build ${buildId} has no polling workers yet`;
    } catch (err) {
      lastProblem = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > until) {
      throw new Error(`could not make ${deploymentName}/${buildId} current: ${lastProblem}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  while (Date.now() <= until) {
    const { workerDeploymentInfo } = await describe();
    const done =
      workerDeploymentInfo?.routingConfigUpdateState === RoutingConfigUpdateState.ROUTING_CONFIG_UPDATE_STATE_COMPLETED;
    const current = workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId === buildId;
    if (done && current) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${deploymentName}/${buildId} was set current, but routing did not settle in time`);
}
