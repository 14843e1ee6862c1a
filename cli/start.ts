import type { Command } from 'commander';
import { briefDataProblem } from '../activities/brief-check';
import { loadModelConfig, unpricedModels } from '../activities/model-gateway/model-config';
import { readBriefFile } from '../client/brief-file';
import { ClientError } from '../client/errors';
import { newCampaignId, startCampaign } from '../client/start';
import { waitForApproval } from '../client/wait-for-approval';
import { settings } from '../config/settings';
import { campaignBudget } from '../domain/brief';
import { cliClient, cliData, cliLoginTrust, cliSession, uiLink } from './context';
import { BAD_INPUT, CliError } from './errors';
import { copyLines, decideHint } from './show';

/** `campaign start BRIEF`: validates the brief, then starts its workflow. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('validate a brief (YAML or JSON) and start its campaign workflow')
    .argument('<brief>', 'path to the brief file')
    .option('--requested-by <user>', 'roster id of the requester (default: $CAMPAIGN_USER)')
    .option('--id <id>', 'workflow id (default: <brand>-<date>-<random>)')
    .option('--wait', 'wait until the campaign reaches the approval gate, then show what waits there')
    .option('--timeout <seconds>', 'with --wait: how long to wait (default 300)', '300')
    .option('--json', 'print one JSON document on stdout')
    .action(
      async (
        file: string,
        opts: { requestedBy?: string; id?: string; json?: boolean; wait?: boolean; timeout: string },
      ) => {
        const timeoutS = Number(opts.timeout);
        if (!(timeoutS > 0)) throw new CliError('--timeout: a number of seconds above 0', BAD_INPUT);
        const brief = readBriefFile(file);
        const session = cliSession();
        // Signed in, the requester is the login, whatever is named here.
        const requestedBy = opts.requestedBy ?? settings().user ?? session?.subject;
        if (!requestedBy) throw new CliError('--requested-by: required (or set CAMPAIGN_USER)', BAD_INPUT);
        if (opts.id !== undefined && !/^[A-Za-z0-9][\w.-]{0,199}$/.test(opts.id)) {
          throw new CliError(
            '--id: start with a letter or digit, then letters, digits, ".", "_" or "-" (at most 200)',
            BAD_INPUT,
          );
        }
        // At the door: what the planner would refuse in the campaign's first step, refused before anything starts.
        // Signed in, this machine may not hold the login service's trust list: whether approvers can sign is then the
        // planner's to check.
        const trust = cliLoginTrust();
        const signers = !session || Object.keys(trust.attesters).length > 0;
        const problem = briefDataProblem(cliData(), brief, requestedBy, trust, { signers });
        if (problem) throw new CliError(problem, BAD_INPUT);
        // A model without a price costs €0 as far as the budget knows: say so, and what stops it instead.
        const models = loadModelConfig(settings().paths.modelConfigFile, settings().models);
        const unpriced = unpricedModels(models);
        if (unpriced.length > 0) {
          const { maxTokens } = campaignBudget(brief, cliData().governance(brief.brand).budget);
          process.stderr.write(
            `note: ${unpriced.join(', ')} ${unpriced.length === 1 ? 'has' : 'have'} no price in ${settings().paths.modelConfigFile}: ` +
              `the campaign's € budget cannot stop ${unpriced.length === 1 ? 'it' : 'them'}; its token budget of ${maxTokens} tokens does ` +
              '(set prices: in the model settings to budget them in euros)\n',
          );
        }
        const { taskQueue } = settings().temporal;
        const client = await cliClient();
        const id = opts.id ?? newCampaignId(brief);
        const started = await startCampaign(client, brief, requestedBy, id, taskQueue, {
          keyDir: settings().paths.keyDir,
          // The person who starts a campaign says so with their key: the planner refuses a start it cannot verify.
          requireSignature: true,
          byLogin: session !== null,
        }).catch((err: unknown) => {
          if (err instanceof ClientError && err.kind === 'already-started') {
            throw new CliError(`--id: ${err.message}`, BAD_INPUT, { cause: err });
          }
          throw err;
        });
        const url = uiLink(started.workflowId);
        if (!opts.json) {
          console.log(
            `started ${started.workflowId}\n  follow: npx campaign status ${started.workflowId}\n  UI:     ${url}`,
          );
        }
        if (!opts.wait) {
          if (opts.json) console.log(JSON.stringify({ ...started, url }));
          return;
        }
        if (!opts.json) process.stderr.write(`waiting for the approval gate (up to ${timeoutS} s) ...\n`);
        // A campaign that ends first (a policy denial, an unknown brand) or takes too long is an error naming why.
        const pending = await waitForApproval(client.workflow.getHandle(started.workflowId), {
          timeoutMs: timeoutS * 1000,
        });
        if (opts.json) {
          console.log(JSON.stringify({ ...started, url, pending }));
          return;
        }
        console.log(copyLines(started.workflowId, pending).join('\n'));
        console.log(decideHint(started.workflowId, pending.contentHash));
      },
    );
}
