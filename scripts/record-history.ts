import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { readBriefFile } from '../cli/brief-file';
import { startCampaign } from '../cli/start';
import { withThrowawayStack } from '../devserver/throwaway-stack';
import { PROJECT_ROOT } from '../worker/config';
import { campaignStateQuery, decideUpdate } from '../workflows/messages';

/**
 * Records a replay fixture: the sample campaign on the offline model, approved by jonas.weber, on a throwaway server.
 * Record a new file after an intended change to the workflow's commands (`npm run record-history -- NAME`); keep the
 * old ones, so the replay test proves that campaigns started on earlier code still replay.
 */
const name = process.argv[2] ?? 'sample-campaign-approved';
const out = resolve(PROJECT_ROOT, 'test/fixtures/histories', `${name}.json`);
delete process.env.OPENAI_API_KEY;
delete process.env.OPENAI_BASE_URL;
await withThrowawayStack(async (client, taskQueue) => {
  const brief = readBriefFile(resolve(PROJECT_ROOT, 'examples/briefs/green-tariff-launch.yaml'));
  const { workflowId } = await startCampaign(client, brief, 'lena.vogel', `fixture-${name}`, taskQueue);
  const handle = client.workflow.getHandle(workflowId);
  let hash: string | undefined;
  while (!hash) {
    hash = (await handle.query(campaignStateQuery)).pending?.contentHash;
    await new Promise((r) => setTimeout(r, 100));
  }
  await handle.executeUpdate(decideUpdate, {
    args: [{ decision: 'approve', approver: 'jonas.weber', contentHash: hash }],
  });
  await handle.result();
  writeFileSync(out, `${historyToJSON(await handle.fetchHistory())}\n`);
});
process.stderr.write(`wrote ${out}\n`);
