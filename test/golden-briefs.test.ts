import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readBriefFile } from '../client/brief-file';
import { PROJECT_ROOT } from '../config/paths';
import { evaluateBrief, failsEvaluation, renderTable } from '../eval/evaluate';
import { CampaignEnv } from './support/campaign-env';

const GOLDEN = resolve(PROJECT_ROOT, 'examples/golden');
const briefs = readdirSync(GOLDEN).filter((f) => f.endsWith('.yaml'));

let env: CampaignEnv;
beforeAll(async () => {
  env = await CampaignEnv.create();
  await env.startWorker();
});
afterAll(() => env?.close());

it('has golden briefs to evaluate', () => {
  expect(briefs.length).toBeGreaterThanOrEqual(5);
});

it.each(briefs)(
  '%s reaches the gate on the offline model with every claim grounded and every variant within limits',
  async (file) => {
    const result = await evaluateBrief(env.client, file.replace('.yaml', ''), readBriefFile(resolve(GOLDEN, file)), {
      taskQueue: env.taskQueue,
      keyDir: env.keyDir,
    });
    expect(result).toMatchObject({ reachedGate: true, blockingFindings: 0, claims: { rate: 1 }, personalData: 0 });
    expect(failsEvaluation(result)).toBeNull();
    // In the brief's language, every key message carried, a headline per channel, and the change request honoured.
    expect(result.language.matching).toBe(result.language.total);
    expect(result.keyMessages.carried).toBe(result.keyMessages.total);
    expect(result.variety.distinctHeadlines).toBe(result.variety.channels);
    expect(result.changeRequest).toMatchObject({ honoured: true });
    expect(result.copy.length).toBe(result.variants.total);
    expect(result.claims.total).toBeGreaterThan(0);
    expect(result.variants.withinLimits).toBe(result.variants.total);
    expect(result.usage).toMatchObject({ costEur: 0 });
    expect(renderTable([result])).toContain(`| ${result.brief} | yes | 100%`);
  },
);
