import type { Command } from 'commander';
import { settings } from '../config/settings';
import { BAD_INPUT, CliError } from './errors';

/** `campaign db migrate | status`: the governance store's schema. */
export function registerDb(program: Command): void {
  const db = program.command('db').description("the governance store's schema (PostgreSQL)");
  db.command('migrate')
    .description("bring the schema up to date, as the owner role (never a worker's)")
    .option('--owner-url <url>', 'the owner role URL (default: CAMPAIGN_DATABASE_OWNER_URL)')
    .action(async (opts: { ownerUrl?: string }) => {
      const url = opts.ownerUrl ?? settings().database.ownerUrl;
      if (!url) throw new CliError('--owner-url: required (or set CAMPAIGN_DATABASE_OWNER_URL)', BAD_INPUT);
      const { describeUrl, migrate } = await import('../store/database');
      const applied = await migrate(url);
      console.log(
        applied.length > 0
          ? `applied ${applied.join(', ')} on ${describeUrl(url)}`
          : `the schema on ${describeUrl(url)} is up to date`,
      );
    });
  db.command('status')
    .description('check that workers can use the store: reachable, and on the schema this code knows')
    .action(async () => {
      const { openReadingStore, databaseUrl } = await import('../store/open-store');
      const { describeUrl } = await import('../store/database');
      const store = await openReadingStore(settings());
      await store.close();
      console.log(`the governance store at ${describeUrl(databaseUrl(settings().database))} is ready`);
    });
}
