import { resolve } from 'node:path';
import type { Command } from 'commander';
import { terminalText } from '../domain/escape';
import { workerPaths } from '../worker/config';
import { CliError } from './errors';

/** `campaign policy validate [DIR]` and `campaign policy whatif --policies DIR [--query QUERY]`. */
export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('check policies, and what a change to them would change');
  policy
    .command('validate')
    .description('load a policy folder as a worker would; exit 1 with the problem if it does not load')
    .argument('[dir]', 'policy folder (default: CAMPAIGN_POLICY_DIR or policies/)')
    .action(async (dir: string | undefined) => {
      const folder = resolve(dir ?? workerPaths().policyDir);
      const engine = await load(folder);
      console.log(`${folder}: loads, policy set ${engine.policySetHash}`);
    });
  policy
    .command('whatif')
    .description('re-decide the tool calls recorded in the audit store under proposed policies; list each that changes')
    .requiredOption('--policies <dir>', 'the proposed policy folder')
    .option(
      '--query <query>',
      'only campaigns a Temporal visibility query finds (default: every campaign in the store)',
    )
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: { policies: string; query?: string; json?: boolean }) => {
      const { policyWhatIf } = await import('../audit/whatif');
      const { readStoredTrail, storedCampaigns } = await import('../activities/audit-store');
      const engine = await load(resolve(opts.policies));
      const { auditDir } = workerPaths();
      const ids = opts.query ? await idsFromQuery(opts.query) : storedCampaigns(auditDir);
      const trails = ids.map((campaignId) => ({ campaignId, events: readStoredTrail(auditDir, campaignId).events }));
      const result = policyWhatIf(trails, engine);
      if (opts.json) {
        console.log(JSON.stringify(result));
        return;
      }
      console.log(
        `${result.calls} recorded tool calls in ${result.campaigns} campaigns re-decided under ${opts.policies} (set ${result.proposedPolicySetHash.slice(0, 12)}…): ${result.changed.length} would change`,
      );
      for (const c of result.changed) {
        console.log(
          `  ${terminalText(c.campaignId)} event ${c.seq} (${c.step}): ${c.agent} → ${c.tool}: allow → deny (${terminalText(c.reasons.join('; '))})`,
        );
      }
      if (result.withoutContext > 0)
        console.log(
          `  (${result.withoutContext} calls were recorded without their context and were re-decided with none)`,
        );
    });
}

/** Loads a policy folder; Cedar is loaded only here, because it costs every other command its start-up time. */
async function load(dir: string) {
  const { loadPolicyEngine, PolicyLoadError } = await import('../policies/engine');
  try {
    return loadPolicyEngine(dir);
  } catch (err) {
    if (err instanceof PolicyLoadError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError(`${dir}: ${(err as Error).message}`);
    }
    throw err;
  }
}

async function idsFromQuery(query: string): Promise<string[]> {
  const { connectClient } = await import('../client/connect');
  const client = await connectClient();
  const ids: string[] = [];
  for await (const info of client.workflow.list({ query }))
    if (info.type === 'campaignWorkflow') ids.push(info.workflowId);
  return [...new Set(ids)];
}
