import { existsSync, readFileSync } from 'node:fs';
import type { temporal } from '@temporalio/proto';
import type { Command } from 'commander';
import { firstLineOf } from '../client/errors';
import { settings } from '../config/settings';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { cliClient } from './context';
import { BAD_INPUT, CliError } from './errors';

interface ReplayOptions {
  query?: string;
  file?: string;
  json?: boolean;
}

/** `campaign replay ID | --query QUERY | --file HISTORY.json`: today's code against recorded histories, and the audit. */
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      "replay campaigns against today's workflow code and check each history against the audit store and the outbox seal",
    )
    .argument('[id]', 'a campaign id')
    .option(
      '--query <query>',
      `every campaign a visibility query finds, e.g. 'WorkflowType = "${CAMPAIGN_WORKFLOW_TYPE}"'`,
    )
    .option(
      '--file <history>',
      "an exported history (temporal workflow show -o json, or an evidence pack's history.json)",
    )
    .option('--json', 'print one JSON document on stdout')
    .action(async (id: string | undefined, opts: ReplayOptions) => {
      // Evidence means hundreds of signatures and hashes: Node's crypto checks them faster than pure JavaScript.
      (await import('../keys/node-crypto')).useNodeCrypto();
      const sources = [id, opts.query, opts.file].filter((s) => s !== undefined);
      if (sources.length !== 1) throw new CliError('replay: give exactly one of ID, --query or --file', BAD_INPUT);
      // Loaded here: the worker SDK (for replay) costs every other command a second.
      const { historyFromJSON } = await import('@temporalio/common/lib/proto-utils.js');
      const { replayCampaigns } = await import('../audit/replay');
      const { bundlePath, workflowBundle } = await import('../worker/workflow-bundle');
      const { installRuntime } = await import('../worker/runtime');
      const { rootLogger } = await import('../worker/logger');
      rootLogger.level = settings().logLevel ?? 'warn';
      installRuntime();
      const { paths } = settings();
      const bundle = await workflowBundle({
        cacheDir: paths.bundleDir,
        progress: (line) => process.stderr.write(`${line}\n`),
      });
      // Replay works offline too: without a reachable store, each history is compared with its own result.
      const { openReadingStore } = await import('../store/open-store');
      const store = await openReadingStore(settings()).catch((err: unknown) => {
        process.stderr.write(
          `no governance store (${firstLineOf(err)}): histories are compared with their own results\n`,
        );
        return null;
      });
      // A campaign id names the run it is bound to, not whichever run of the id came last.
      const runOf = async (campaignId: string) => (await store?.bindings.of(campaignId))?.runId;
      const histories = opts.file ? fromFile(opts.file, historyFromJSON) : fromTemporal(id, opts.query, runOf);
      const { decodeHistory } = await import('../audit/decode-history');
      const { codecFrom } = await import('../codec/data-converter');
      // Encrypted histories are read with this deployment's payload keys, as its workers read them.
      const codec = codecFrom(settings().codec);
      const reports = [];
      let index = 0;
      try {
        // Decoded as they come, replayed a batch at a time by one replay worker per bundle, checked in the same pass.
        async function* decoded() {
          for await (const raw of histories) {
            yield await decodeHistory(raw, codec).catch((err: unknown) => {
              const id = raw.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? 'a campaign';
              throw new CliError(`replay: ${id}: ${firstLineOf(err)}`, 1, { cause: err });
            });
          }
        }
        const replayed = replayCampaigns(decoded(), {
          workflowBundle: bundle,
          bundleOf: (buildId) => {
            const codePath = bundlePath(paths.bundleDir, buildId, false);
            return existsSync(codePath) ? { codePath } : null;
          },
          ...(store ? { trail: store.trail } : {}),
          outboxDir: paths.outboxDir,
        });
        for await (const report of replayed) {
          reports.push(report);
          index += 1;
          const verdict = [
            report.recordedBy
              ? `build ${report.recordedBy}, replayed on ${report.replayedOn === 'its own build' ? 'its own bundle' : "today's code (its bundle is not cached here)"}`
              : "unversioned, replayed on today's code",
            report.deterministic ? 'deterministic' : `NOT deterministic (${report.divergence})`,
            report.comparedWith === 'nothing'
              ? 'no trail to compare'
              : report.consistent
                ? `consistent with the ${report.comparedWith}`
                : `NOT consistent with the ${report.comparedWith}: history event ${report.mismatch?.historyEvent ?? '-'}, audit event ${report.mismatch?.auditEvent ?? '-'}: ${report.mismatch?.problem}`,
            `seal ${report.seal}`,
          ].join('; ');
          process.stderr.write(`[${index}] ${report.workflowId}: ${verdict}\n`);
        }
      } finally {
        await store?.close();
      }
      if (reports.length === 0) throw new CliError('replay: no campaign history found');
      const failed = reports.filter(
        (r) => !r.deterministic || (r.comparedWith !== 'nothing' && !r.consistent) || r.seal === 'differs',
      );
      if (opts.json)
        console.log(JSON.stringify({ replayed: reports.length, failed: failed.length, campaigns: reports }));
      else console.log(`${reports.length} replayed, ${failed.length} failed`);
      if (failed.length > 0) process.exitCode = 1;
    });
}

function fromFile(
  path: string,
  historyFromJSON: (json: unknown) => temporal.api.history.v1.IHistory,
): temporal.api.history.v1.IHistory[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliError(
      `--file: cannot read ${path} as a JSON history (${(err as Error).message.split('\n')[0]})`,
      BAD_INPUT,
    );
  }
  return [historyFromJSON(json)];
}

async function* fromTemporal(
  id: string | undefined,
  query: string | undefined,
  runOf: (campaignId: string) => Promise<string | undefined>,
) {
  const client = await cliClient();
  if (id) {
    yield await client.workflow.getHandle(id, await runOf(id)).fetchHistory();
    return;
  }
  for await (const info of client.workflow.list({ query })) {
    if (info.type !== CAMPAIGN_WORKFLOW_TYPE) continue;
    yield await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
  }
}
