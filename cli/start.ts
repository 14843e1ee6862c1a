import type { Command } from 'commander';
import { readBriefFile } from '../client/brief-file';
import { ClientError } from '../client/errors';
import { newCampaignId, startCampaign } from '../client/start';
import { settings } from '../config/settings';
import { cliClient, cliSession, uiLink } from './context';
import { BAD_INPUT, CliError } from './errors';

/** `campaign start BRIEF`: validates the brief, then starts its workflow. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('validate a brief (YAML or JSON) and start its campaign workflow')
    .argument('<brief>', 'path to the brief file')
    .option('--requested-by <user>', 'roster id of the requester (default: $CAMPAIGN_USER)')
    .option('--id <id>', 'workflow id (default: <brand>-<date>-<random>)')
    .option('--json', 'print one JSON document on stdout')
    .action(async (file: string, opts: { requestedBy?: string; id?: string; json?: boolean }) => {
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
      if (opts.json) {
        console.log(JSON.stringify({ ...started, url }));
        return;
      }
      console.log(
        `started ${started.workflowId}\n  follow: npx campaign status ${started.workflowId}\n  UI:     ${url}`,
      );
    });
}
