import { resolve } from 'node:path';
import type { Command } from 'commander';
import { nearestId } from '../activities/brief-check';
import { settings } from '../config/settings';
import { terminalText } from '../domain/escape';
import { AGENTS, TOOLS } from '../domain/steps';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { BAD_INPUT, CliError } from './errors';

/** `campaign policy validate | explain | test | whatif`. */
export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('check policies, and what a change to them would change');
  policy
    .command('validate')
    .description('load a policy folder as a worker would; exit 1 with the problem if it does not load')
    .argument('[dir]', 'policy folder (default: CAMPAIGN_POLICY_DIR or policies/)')
    .action(async (dir: string | undefined) => {
      const folder = resolve(dir ?? settings().paths.policyDir);
      const engine = await load(folder);
      console.log(`${folder}: loads and validates against the schema, policy set ${engine.policySetHash}`);
    });
  policy
    .command('explain')
    .description('decide one tool call under the policies and say which policies decided it')
    .requiredOption('--agent <role>', 'the agent role (the Cedar principal)')
    .requiredOption('--tool <tool>', 'the tool (the Cedar action)')
    .option('--context <json>', 'the context the policies see, as JSON (see domain/policy-context.ts)', '{}')
    .option('--policies <dir>', 'policy folder (default: CAMPAIGN_POLICY_DIR or policies/)')
    .action(async (opts: { agent: string; tool: string; context: string; policies?: string }) => {
      let context: Record<string, string | number | boolean | string[]>;
      try {
        context = JSON.parse(opts.context) as typeof context;
      } catch {
        throw new CliError(`--context: not JSON: ${opts.context}`, BAD_INPUT);
      }
      for (const [flag, value, known] of [
        ['--tool', opts.tool, TOOLS],
        ['--agent', opts.agent, AGENTS],
      ] as const) {
        if (!(known as readonly string[]).includes(value)) {
          const near = nearestId(value, known);
          throw new CliError(
            `${flag}: '${value}' is no ${flag.slice(2)} of this project${near ? ` (did you mean ${near}?)` : ''}; one of ${known.join(', ')}`,
            BAD_INPUT,
          );
        }
      }
      const engine = await load(resolve(opts.policies ?? settings().paths.policyDir));
      const decision = engine.decide({ agent: opts.agent, tool: opts.tool, campaignId: 'explain', context });
      console.log(`${opts.agent} → ${opts.tool}: ${decision.kind.toUpperCase()}`);
      console.log(`  deciding policies: ${decision.policyIds.join(', ') || 'none'}`);
      if (decision.kind === 'deny') console.log(`  reasons: ${decision.reasons.join('; ')}`);
      console.log(`  policy set ${decision.policySetHash}`);
    });
  policy
    .command('test')
    .description('run the golden decision table (policies/decisions.yaml) against the policies; exit 1 on any mismatch')
    .option('--table <file>', 'the decision table (default: policies/decisions.yaml beside the policies)')
    .option('--policies <dir>', 'policy folder (default: CAMPAIGN_POLICY_DIR or policies/)')
    .action(async (opts: { table?: string; policies?: string }) => {
      const dir = resolve(opts.policies ?? settings().paths.policyDir);
      const engine = await load(dir);
      const table = resolve(opts.table ?? `${dir}/decisions.yaml`);
      const { readFileSync } = await import('node:fs');
      const { parse } = await import('yaml');
      let rows: {
        agent: string;
        tool: string;
        expect: 'allow' | 'deny';
        context?: Record<string, string | number | boolean | string[]>;
      }[];
      try {
        rows = parse(readFileSync(table, 'utf8'));
      } catch (err) {
        throw new CliError(`--table: cannot read ${table} (${(err as Error).message.split('\n')[0]})`, BAD_INPUT);
      }
      const wrong = rows.filter(
        (row) =>
          engine.decide({ agent: row.agent, tool: row.tool, campaignId: 'test', context: row.context ?? {} }).kind !==
          row.expect,
      );
      for (const row of wrong)
        console.log(
          `  MISMATCH ${row.agent} → ${row.tool} ${JSON.stringify(row.context ?? {})}: expected ${row.expect}`,
        );
      console.log(`${rows.length - wrong.length} of ${rows.length} decisions as the table expects (${table})`);
      if (wrong.length > 0) process.exitCode = 1;
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
      const { withStore } = await import('./context');
      const engine = await load(resolve(opts.policies));
      const trails = await withStore(async (store) => {
        const ids = opts.query ? await idsFromQuery(opts.query) : await store.trail.campaigns();
        return Promise.all(
          ids.map(async (campaignId) => ({ campaignId, events: (await store.trail.read(campaignId)).events })),
        );
      });
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
  const { cedarSchemaText } = await import('../domain/policy-context');
  try {
    // Validated against the same generated schema a worker uses, so what passes here also starts a worker.
    return loadPolicyEngine(dir, { schema: cedarSchemaText() });
  } catch (err) {
    if (err instanceof PolicyLoadError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError(`${dir}: ${(err as Error).message}`);
    }
    throw err;
  }
}

async function idsFromQuery(query: string): Promise<string[]> {
  const { cliClient } = await import('./context');
  const client = await cliClient();
  const ids: string[] = [];
  for await (const info of client.workflow.list({ query }))
    if (info.type === CAMPAIGN_WORKFLOW_TYPE) ids.push(info.workflowId);
  return [...new Set(ids)];
}
