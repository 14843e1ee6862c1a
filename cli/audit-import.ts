import { readFileTrails } from '../audit/file-trails';
import { settings } from '../config/settings';
import { verifyTrail } from '../domain/audit-verify';
import { readTrustFile } from '../keys/worker-keys';
import { openWorkerStore } from '../store/open-store';
import { CliError } from './errors';

/**
 * `campaign audit import DIR`: moves the trails of the earlier file store into the governance store. Every trail is
 * verified first, with its checkpoint against the trusted worker keys; if any does not verify, nothing is imported and
 * the file is named. Trails the store already holds are skipped event by event, so an import can be run again.
 */
export async function importTrails(dir: string, opts: { trust?: string; json?: boolean }): Promise<void> {
  const chosen = settings();
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
  const imported: { campaignId: string; events: number; appended: number }[] = [];
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
      imported.push({ campaignId: first.workflowId, events: trail.events.length, appended });
      if (!opts.json)
        process.stderr.write(`${first.workflowId}: ${trail.events.length} events verified, ${appended} new\n`);
    }
  } finally {
    await store.close();
  }
  if (opts.json) console.log(JSON.stringify({ imported }));
  else console.log(`imported ${imported.length} trail(s) from ${dir}`);
}
