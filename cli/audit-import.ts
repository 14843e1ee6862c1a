import { readFileTrails } from '../audit/file-trails';
import { settings } from '../config/settings';
import { verifyTrail } from '../domain/audit-verify';
import { readTrustFile } from '../keys/worker-keys';
import { openDatabase } from '../store/database';
import { openWorkerStore } from '../store/open-store';
import { bindLegacyRun } from '../store/run-bindings';
import { BAD_INPUT, CliError } from './errors';

/**
 * `campaign audit import DIR`: moves the trails of the earlier file store into the governance store. Every trail is
 * verified first, with its checkpoint against the trusted worker keys; if any does not verify, nothing is imported and
 * the file is named. Trails the store already holds are skipped event by event, so an import can be run again.
 * Each imported run is bound to its campaign id as in flight from before receipts (the owner role's to mark), so the
 * campaign finishes under the rules it started with.
 */
export async function importTrails(
  dir: string,
  opts: { trust?: string; json?: boolean; ownerUrl?: string },
): Promise<void> {
  const chosen = settings();
  const ownerUrl = opts.ownerUrl ?? chosen.database.ownerUrl;
  if (!ownerUrl) {
    throw new CliError(
      '--owner-url: required (or set CAMPAIGN_DATABASE_OWNER_URL): imported campaigns are bound to their runs as ' +
        'in flight from before receipts, which only the owner role may mark',
      BAD_INPUT,
    );
  }
  const trustFile = opts.trust ?? chosen.database.workerKeysFile;
  const trustedKeys = readTrustFile(trustFile);
  const trails = readFileTrails(dir);
  if (trails.length === 0) throw new CliError(`no audit trails (*.jsonl) in ${dir}`);
  for (const trail of trails) {
    const first = trail.events[0];
    const verification = verifyTrail(trail.events, {
      ...(first ? { campaignId: first.workflowId } : {}),
      checkpoint: trail.checkpoint,
      trustedKeys,
    });
    const failed = verification.checks.filter((c) => !c.ok);
    if (!first || !trail.checkpoint || failed.length > 0) {
      const why = !first
        ? 'it holds no events'
        : !trail.checkpoint
          ? `it has no checkpoint (${trail.checkpointFile})`
          : failed.map((c) => `${c.name}: ${c.detail}`).join('; ');
      throw new CliError(`refused ${trail.file}: ${why}; nothing was imported (trust list: ${trustFile})`);
    }
    const runs = new Set(trail.events.map((e) => e.runId));
    if (runs.size > 1)
      throw new CliError(`refused ${trail.file}: it mixes runs (${[...runs].join(', ')}); nothing was imported`);
  }
  const store = await openWorkerStore(chosen);
  const owner = await openDatabase(ownerUrl, { max: 1 }).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  const imported: { campaignId: string; events: number; appended: number; bound: boolean }[] = [];
  try {
    for (const trail of trails) {
      const first = trail.events[0];
      if (!first) continue;
      const { appended } = await store.trail
        .append(first.workflowId, first.runId, trail.events)
        .catch((err: unknown) => {
          const done =
            imported.length > 0
              ? ` (the ${imported.length} before it were imported; running the import again skips them)`
              : '';
          throw new CliError(`refused ${trail.file}: ${err instanceof Error ? err.message : String(err)}${done}`, 1, {
            cause: err,
          });
        });
      const start = trail.events.find((e) => e.step === 'start');
      const bound = await bindLegacyRun(owner, first.workflowId, {
        runId: first.runId,
        requestedBy: start?.actor.id ?? 'unknown',
        briefHash: start?.inputHash ?? '',
      });
      imported.push({ campaignId: first.workflowId, events: trail.events.length, appended, bound });
      if (!opts.json) {
        const binding = bound ? 'bound to its run' : 'NOT bound: the id belongs to another run';
        process.stderr.write(
          `${first.workflowId}: ${trail.events.length} events verified, ${appended} new, ${binding}\n`,
        );
      }
    }
  } finally {
    await owner.end();
    await store.close();
  }
  if (opts.json) console.log(JSON.stringify({ imported }));
  else console.log(`imported ${imported.length} trail(s) from ${dir}`);
}
