import { createInterface } from 'node:readline/promises';
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import type { Command } from 'commander';
import { campaignView, notWaitingFor, pendingApproval } from '../client/campaign-view';
import { bindingOf, type DecisionDraft, decisionEnvelope, sealDecision, sendDecision } from '../client/decide';
import { describeCampaign } from '../client/describe';
import { ClientError } from '../client/errors';
import { settings } from '../config/settings';
import type { Decision } from '../domain/decision';
import { cliClient, cliSession, rosterPerson } from './context';
import { BAD_INPUT, CliError } from './errors';
import { copyLines } from './show';

interface DecideOptions {
  as?: string;
  contentHash?: string;
  json?: boolean;
}

type Kind = Decision['decision'];

/** The decision a person means, dated and signed, bound to content they have seen. */
async function prepare(
  client: Client,
  id: string,
  opts: DecideOptions,
  draft: (approver: string, hash: string) => DecisionDraft,
) {
  const session = cliSession();
  if (!opts.as && !session) throw new CliError('--as: required (your roster id)', BAD_INPUT);
  if (opts.as) rosterPerson(opts.as);
  const description = await describeCampaign(client, id);
  const view = campaignView(description);
  if (!view.contentHash) throw new ClientError('not-sent', notWaitingFor(view, 'approval'));
  const contentHash = opts.contentHash ?? (await confirmContent(description, id));
  const binding = bindingOf(description);
  const envelope = await decisionEnvelope(client, id);
  // Signed in, the codec server stamps the decision for the login: who decides and when are its to say (and it takes
  // `envelope` as the form to stamp in, never passing it on).
  const decision: Decision = session
    ? ({
        ...draft(opts.as ?? session.subject, contentHash),
        ...binding,
        campaignId: id,
        decidedAt: new Date().toISOString(),
        ...(envelope ? { envelope } : {}),
      } as Decision)
    : sealDecision(
        id,
        { ...draft(opts.as ?? '', contentHash), ...binding },
        { keyDir: settings().paths.keyDir, signaturesRequired: view.signaturesRequired ?? true, envelope },
      );
  return { description, decision, session };
}

/**
 * Without `--content-hash`, the approver must see what they approve: on a terminal the content is shown and they
 * confirm it; anywhere else the command refuses rather than approve content nobody looked at.
 */
async function confirmContent(description: WorkflowExecutionDescription, id: string): Promise<string> {
  const pending = pendingApproval(description);
  if (!pending) throw new ClientError('not-sent', notWaitingFor(campaignView(description), 'approval'));
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new CliError(
      `--content-hash: required when not on a terminal, so the decision binds to content you have seen (\`npx campaign status ${id}\` shows it)`,
      BAD_INPUT,
    );
  }
  const lines = copyLines(id, pending);
  process.stdout.write(`${lines.join('\n')}\n`);
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await prompt.question('Decide on exactly this content? [y/N] ');
  prompt.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new ClientError('not-sent', 'not confirmed; nothing was sent');
  return pending.contentHash;
}

/** Sends one decision through the `decide` Update and reports the workflow's receipt or refusal. */
async function decide(id: string, opts: DecideOptions, draft: (approver: string, hash: string) => DecisionDraft) {
  const client = await cliClient();
  const { description, decision, session } = await prepare(client, id, opts, draft);
  const receipt = await sendDecision(client, id, description.taskQueue, decision);
  if (opts.json) console.log(JSON.stringify(receipt));
  else {
    const how = session
      ? `stamped for your login at ${session.issuer}`
      : decision.signature
        ? `signed with ${decision.signature.keyId}`
        : 'unsigned';
    console.log(
      `${receipt.decision} recorded for ${id} (${receipt.approvalsSoFar}/${receipt.approvalsRequired} approvals, ${how})`,
    );
    // Campaigns started before receipts said what happens next have no message.
    if (receipt.message) console.log(`  ${receipt.message}`);
  }
}

/** The decision fields for a kind, with its note; a blank note is refused here as the gate would refuse it. */
function draftFor(kind: Kind, note: string | undefined) {
  const text = note?.trim();
  const field = { approve: '--comment', reject: '--reason', 'request-changes': '--feedback' }[kind];
  if (kind !== 'approve' && !text) throw new CliError(`${field}: required`, BAD_INPUT);
  if (text !== undefined && text.length < 3)
    throw new CliError(`${field}: say something (at least 3 characters)`, BAD_INPUT);
  return (approver: string, contentHash: string): DecisionDraft => {
    switch (kind) {
      case 'approve':
        return { decision: 'approve', approver, contentHash, ...(text ? { comment: text } : {}) };
      case 'reject':
        return { decision: 'reject', approver, contentHash, reason: text ?? '' };
      case 'request-changes':
        return { decision: 'request-changes', approver, contentHash, feedback: text ?? '' };
      default:
        return kind satisfies never;
    }
  };
}

const common = (cmd: Command) =>
  cmd
    .argument('<id>', 'workflow id')
    .option(
      '--as <user>',
      'your roster id; your signing key is taken from CAMPAIGN_KEY_DIR (.data/keys); signed in (`campaign login`), your login decides',
    )
    .option('--content-hash <hash>', 'the content hash you reviewed (without it: shown and confirmed on a terminal)')
    .option('--json', 'print one JSON document on stdout');

/** `approve`, `reject`, `request-changes`, and `sign` (a signed decision to paste into the Temporal UI). */
export function registerDecisions(program: Command): void {
  common(program.command('approve').description('approve the content awaiting approval'))
    .option('--comment <text>', 'a note for the audit trail')
    .action((id: string, opts: DecideOptions & { comment?: string }) =>
      decide(id, opts, draftFor('approve', opts.comment)),
    );
  common(program.command('reject').description('reject the campaign'))
    .option('--reason <text>', 'why (required)')
    .action((id: string, opts: DecideOptions & { reason?: string }) =>
      decide(id, opts, draftFor('reject', opts.reason)),
    );
  common(program.command('request-changes').description('send the variants back with feedback'))
    .option('--feedback <text>', 'what to change (required)')
    .action((id: string, opts: DecideOptions & { feedback?: string }) =>
      decide(id, opts, draftFor('request-changes', opts.feedback)),
    );
  common(
    program.command('sign').description('print a signed decision to paste as the Data of the decide Update in the UI'),
  )
    .option('--decision <kind>', 'approve, reject or request-changes', 'approve')
    .option('--note <text>', 'comment (approve), reason (reject) or feedback (request-changes)')
    .action(async (id: string, opts: DecideOptions & { decision: string; note?: string }) => {
      if (!['approve', 'reject', 'request-changes'].includes(opts.decision)) {
        throw new CliError(`--decision: '${opts.decision}' is not approve, reject or request-changes`, BAD_INPUT);
      }
      const client = await cliClient();
      const { decision } = await prepare(client, id, opts, draftFor(opts.decision as Kind, opts.note));
      if (!decision.signature)
        throw new ClientError('key', `${opts.as} has no signing key: \`npx campaign keys new --as ${opts.as}\``);
      console.log(JSON.stringify(decision));
      process.stderr.write('paste this as the Data of the decide Update within 5 minutes; after that it is refused\n');
    });
}
