import type { Command } from 'commander';
import { type BudgetDraft, sealBudgetDecision, sendBudgetDecision } from '../client/budget';
import { campaignView, notWaitingFor } from '../client/campaign-view';
import { bindingOf } from '../client/decide';
import { describeCampaign } from '../client/describe';
import { ClientError } from '../client/errors';
import { settings } from '../config/settings';
import { cliClient, rosterPerson } from './context';
import { BAD_INPUT, CliError } from './errors';

interface BudgetOptions {
  as?: string;
  raise?: string;
  stop?: boolean;
  reason?: string;
  print?: boolean;
  json?: boolean;
}

/** The decision the options state: exactly one of `--raise EUR` and `--stop --reason TEXT`. */
function draftOf(opts: BudgetOptions): BudgetDraft {
  if (!opts.as) throw new CliError('--as: required (your roster id)', BAD_INPUT);
  rosterPerson(opts.as);
  if ((opts.raise === undefined) === !opts.stop)
    throw new CliError('give exactly one of --raise EUR and --stop', BAD_INPUT);
  if (opts.raise !== undefined) {
    const maxCostEur = Number(opts.raise);
    if (!/^\d+(\.\d+)?$/.test(opts.raise.trim()) || !(maxCostEur > 0) || maxCostEur > 10_000) {
      throw new CliError(
        `--raise: '${opts.raise}' is not an amount in euros between 0 and 10000 (e.g. 2.50)`,
        BAD_INPUT,
      );
    }
    return { decision: 'raise', approver: opts.as, maxCostEur };
  }
  const reason = opts.reason?.trim() ?? '';
  if (reason.length < 3) throw new CliError('--reason: required with --stop (at least 3 characters)', BAD_INPUT);
  return { decision: 'stop', approver: opts.as, reason };
}

/** `campaign budget ID --as USER --raise EUR | --stop --reason TEXT`: decide on a campaign that reached its budget. */
export function registerBudget(program: Command): void {
  program
    .command('budget')
    .description('raise the model budget of a campaign that reached it, or stop the campaign')
    .argument('<id>', 'workflow id')
    .option('--as <user>', 'your roster id; your signing key is taken from CAMPAIGN_KEY_DIR (.data/keys)')
    .option('--raise <eur>', 'the new budget in euros for the whole campaign (signed)')
    .option('--stop', 'stop the campaign instead (needs --reason)')
    .option('--reason <text>', 'why it stops')
    .option(
      '--print',
      'print the signed decision, to paste as the Data of the budgetDecision Update, instead of sending it',
    )
    .option('--json', 'print one JSON document on stdout')
    .action(async (id: string, opts: BudgetOptions) => {
      const draft = draftOf(opts);
      const client = await cliClient();
      const description = await describeCampaign(client, id);
      const view = campaignView(description);
      if (!view.budget) throw new ClientError('not-sent', notWaitingFor(view, 'a budget decision'));
      const decision = sealBudgetDecision(
        id,
        { ...draft, ...bindingOf(description) },
        {
          keyDir: settings().paths.keyDir,
          signaturesRequired: view.signaturesRequired ?? true,
        },
      );
      if (opts.print) {
        console.log(JSON.stringify(decision));
        process.stderr.write('paste this as the Data of the budgetDecision Update within 5 minutes\n');
        return;
      }
      const receipt = await sendBudgetDecision(client, id, description.taskQueue, decision);
      if (opts.json) console.log(JSON.stringify(receipt));
      else if (decision.decision === 'raise') {
        console.log(
          `budget of ${id} raised to €${decision.maxCostEur} by ${decision.approver}; the ${view.budget.step} step goes on`,
        );
      } else console.log(`${id} stopped at its budget by ${decision.approver}`);
    });
}
