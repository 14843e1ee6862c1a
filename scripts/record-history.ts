import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection } from '@temporalio/worker';
import { readBriefFile } from '../cli/brief-file';
import { startCampaign } from '../cli/start';
import { startDevServer } from '../devserver/dev-server';
import { PROJECT_ROOT, workerPaths } from '../worker/config';
import { createCampaignWorker, productionDeps, WORKFLOWS_PATH } from '../worker/create-worker';
import { installRuntime } from '../worker/runtime';
import { campaignStateQuery, decideUpdate } from '../workflows/messages';

/**
 * Records the replay fixture: the sample campaign, approved by jonas.weber, on a throwaway dev server.
 * Rerun after an intended change to the workflow's commands (`npm run record-history`), and say why in the commit.
 */
const out = resolve(PROJECT_ROOT, 'test/fixtures/histories/sample-campaign-approved.json');
installRuntime();
const port = await new Promise<number>((done) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const address = probe.address();
    probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
  });
});
const server = await startDevServer({ port, uiPort: port + 1, headless: true });
try {
  const connection = await NativeConnection.connect({ address: server.address });
  const deps = productionDeps({ ...workerPaths(), outboxDir: mkdtempSync(resolve(tmpdir(), 'record-outbox-')) });
  const worker = await createCampaignWorker({
    connection,
    namespace: 'default',
    deps,
    workflows: { workflowsPath: WORKFLOWS_PATH },
  });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  await worker.runUntil(async () => {
    const brief = readBriefFile(resolve(PROJECT_ROOT, 'examples/briefs/green-tariff-launch.yaml'));
    const { workflowId } = await startCampaign(client, brief, 'lena.vogel', 'fixture-sample-campaign');
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
  await client.connection.close();
  await connection.close();
  process.stderr.write(`wrote ${out}\n`);
} finally {
  await server.stop();
}
