import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The database the test run's server keeps migrated and never connects to, so it can be copied at once. */
export const TEMPLATE_DATABASE = 'campaigns_template';

/**
 * A new governance database for one test environment, copied from the migrated template on the test run's PostgreSQL
 * server; returns the worker role's URL for it. Every environment gets its own, so counts and bindings never leak
 * from one test file into another.
 */
export async function freshDatabase(): Promise<string> {
  // Loaded here: the global setup imports this module for the template's name, where vitest's inject does not work.
  const { inject } = await import('vitest');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const owner = new pg.Client({ connectionString: inject('databaseOwnerUrl') });
  await owner.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        // Identifiers are made here: a fixed prefix and hex.
        await owner.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE} STRATEGY FILE_COPY`);
        break;
      } catch (err) {
        // Another test file copies the template at the same moment; PostgreSQL lets one at a time.
        if ((err as { code?: string }).code !== '55006' || attempt > 50) throw err;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await owner.end();
  }
  const url = new URL(inject('databaseWorkerUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** The owner role's URL for the database of `workerUrl` (a {@link freshDatabase}): for what only operators do. */
export async function ownerUrlOf(workerUrl: string): Promise<string> {
  const { inject } = await import('vitest');
  const url = new URL(inject('databaseOwnerUrl'));
  url.pathname = new URL(workerUrl).pathname;
  return url.toString();
}
