import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/paths';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { campaignWorkflow } from '../workflows';

describe('the campaign workflow type', () => {
  it('names the workflow function the bundle exports, so clients start and find what workers run', () => {
    // A client that starts a workflow by function uses the function's name as its type.
    expect(campaignWorkflow.name).toBe(CAMPAIGN_WORKFLOW_TYPE);
  });

  it('is the workflow type the Cedar policies allow agents to act for', () => {
    const policies = readFileSync(resolve(PROJECT_ROOT, 'policies/agent-tools.cedar'), 'utf8');
    expect(policies).toContain(`context.workflowType == "${CAMPAIGN_WORKFLOW_TYPE}"`);
  });
});
