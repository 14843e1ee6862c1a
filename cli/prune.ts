import type { Command } from 'commander';
import { settings } from '../config/settings';
import { prune } from '../worker/retention';
import { withStore } from './context';
import { BAD_INPUT, CliError } from './errors';

/** `campaign prune`: removes model answers and outbox packages past their retention. */
export function registerPrune(program: Command): void {
  program
    .command('prune')
    .description('remove cached model answers and outbox packages older than their retention')
    .option('--cache-days <days>', 'keep cached model answers this long (default CAMPAIGN_CACHE_RETENTION_DAYS or 30)')
    .option('--outbox-days <days>', 'keep outbox packages this long (default CAMPAIGN_OUTBOX_RETENTION_DAYS or 365)')
    .option('--dry-run', 'list what would be removed, remove nothing')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: { cacheDays?: string; outboxDays?: string; dryRun?: boolean; json?: boolean }) => {
      const retention = { ...settings().retention };
      for (const [flag, value, key] of [
        ['--cache-days', opts.cacheDays, 'cacheDays'],
        ['--outbox-days', opts.outboxDays, 'outboxDays'],
      ] as const) {
        if (value === undefined) continue;
        const days = Number(value);
        if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(days)) {
          throw new CliError(`${flag}: '${value}' is not a number of days`, BAD_INPUT);
        }
        retention[key] = days;
      }
      const { outboxDir } = settings().paths;
      const report = await withStore((store) =>
        prune({ outboxDir, cache: store.cache }, retention, { dryRun: opts.dryRun ?? false }),
      );
      if (opts.json) {
        console.log(JSON.stringify({ ...report, dryRun: opts.dryRun ?? false, retention }));
        return;
      }
      const verb = opts.dryRun ? 'would remove' : 'removed';
      console.log(
        `${verb} ${report.cache} cached model answer(s) older than ${retention.cacheDays} days (in the governance store)`,
      );
      console.log(
        `${verb} ${report.outbox.length} outbox package(s) older than ${retention.outboxDays} days (${outboxDir})`,
      );
      for (const name of report.outbox) console.log(`  ${name}`);
    });
}
