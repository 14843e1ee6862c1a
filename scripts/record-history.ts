import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { readBriefFile } from '../client/brief-file';
import { sealBudgetDecision } from '../client/budget';
import { type DecisionDraft, decisionBinding, decisionEnvelope, sealDecision } from '../client/decide';
import { startCampaign } from '../client/start';
import { waitForApproval } from '../client/wait-for-approval';
import { PROJECT_ROOT } from '../config/paths';
import { withThrowawayStack } from '../devserver/throwaway-stack';
import type { Brief } from '../domain/brief';
import { FakeOpenAI } from '../test/support/fake-openai';
import { campaignScript } from '../test/support/scripted-model';
import { budgetDecisionUpdate, campaignStateQuery, decideUpdate } from '../workflows/messages';

/**
 * Records a replay fixture on the offline model and a throwaway server: `npm run record-history -- NAME [SCENARIO]`.
 * Scenarios: `approved` (the sample, one approval) and `high-risk-changes` (a sensitive audience: changes requested,
 * then two approvals) and `budget-raise` (scripted paid models: the campaign reaches its budget, an approver raises it,
 * then approves) and `escalation` (an SLA of seconds: the backup joins and approves). Record a new file after a change to the workflow and keep the old ones, so the replay test
 * proves that campaigns started on earlier code still replay.
 */
const [name = 'sample-campaign-approved', scenario = 'approved'] = process.argv.slice(2);
const out = resolve(PROJECT_ROOT, 'test/fixtures/histories', `${name}.json`);
const sample = readBriefFile(resolve(PROJECT_ROOT, 'examples/briefs/green-tariff-launch.yaml'));
const highRisk: Brief = { ...sample, audience: { segment: 'seniors-elbtal', purpose: 'email-marketing' } };

interface Scenario {
  brief: Brief;
  rounds: ((hash: string) => DecisionDraft)[][];
  /** Paid models on a scripted loopback server, and the budget raise the campaign waits for first. */
  raiseBudgetTo?: number;
  /** An approval SLA of a few seconds (in a copy of the example data): the backup joins before deciding. */
  escalates?: boolean;
}

const SCENARIOS: Record<string, Scenario> = {
  approved: { brief: sample, rounds: [[(h) => approve('jonas.weber', h)]] },
  'budget-raise': {
    brief: { ...sample, budget: { maxCostEur: 0.005 } },
    rounds: [[(h) => approve('jonas.weber', h)]],
    raiseBudgetTo: 1,
  },
  escalation: {
    brief: sample,
    rounds: [[(h) => approve('katrin.schulz', h)]],
    escalates: true,
  },
  'high-risk-changes': {
    brief: highRisk,
    rounds: [
      [(h) => ({ decision: 'request-changes', approver: 'jonas.weber', contentHash: h, feedback: 'Bitte kürzer.' })],
      [(h) => approve('jonas.weber', h), (h) => approve('miriam.koch', h)],
    ],
  },
};
const chosen = SCENARIOS[scenario];
if (!chosen) throw new Error(`unknown scenario '${scenario}'; use one of ${Object.keys(SCENARIOS).join(', ')}`);
delete process.env.OPENAI_API_KEY;
delete process.env.OPENAI_BASE_URL;
const fake = chosen.raiseBudgetTo ? await FakeOpenAI.start(campaignScript()) : undefined;
if (fake) Object.assign(process.env, { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-fixture' });
if (chosen.escalates) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fixture-data-'));
  cpSync(resolve(PROJECT_ROOT, 'examples'), dataDir, { recursive: true });
  const governance = join(dataDir, 'brands/stadtwerke-elbtal/governance.yaml');
  writeFileSync(
    governance,
    readFileSync(governance, 'utf8').replace(/approvalSlaHours: .*/, 'approvalSlaHours: 0.001'),
  );
  process.env.CAMPAIGN_DATA_DIR = dataDir;
}

await withThrowawayStack(async ({ client, taskQueue, keyDir }) => {
  const { workflowId } = await startCampaign(client, chosen.brief, 'lena.vogel', `fixture-${name}`, taskQueue, {
    keyDir,
  });
  const handle = client.workflow.getHandle(workflowId);
  if (chosen.raiseBudgetTo) {
    while (!(await handle.query(campaignStateQuery)).budget) await new Promise((r) => setTimeout(r, 200));
    const draft = { decision: 'raise', approver: 'jonas.weber', maxCostEur: chosen.raiseBudgetTo } as const;
    const bound = { ...draft, ...(await decisionBinding(client, workflowId)) };
    const raise = sealBudgetDecision(workflowId, bound, { keyDir, signaturesRequired: true });
    await handle.executeUpdate(budgetDecisionUpdate, { args: [raise] });
  }
  for (const [index, decisions] of chosen.rounds.entries()) {
    const { contentHash: hash } = await waitForApproval(handle, { round: index + 1 });
    if (chosen.escalates) {
      const joined = async () =>
        (await handle.query(campaignStateQuery)).plan?.eligibleApprovers.includes('katrin.schulz');
      while (!(await joined())) await new Promise((r) => setTimeout(r, 200));
    }
    for (const decide of decisions) {
      const draft = { ...decide(hash), ...(await decisionBinding(client, workflowId)) };
      const envelope = await decisionEnvelope(client, workflowId);
      const decision = sealDecision(workflowId, draft, { keyDir, signaturesRequired: true, envelope });
      await handle.executeUpdate(decideUpdate, { args: [decision] });
    }
  }
  await handle.result();
  writeFileSync(out, `${historyToJSON(await handle.fetchHistory())}\n`);
});
await fake?.close();
process.stderr.write(`wrote ${out}\n`);

function approve(approver: string, contentHash: string): DecisionDraft {
  return { decision: 'approve', approver, contentHash };
}
