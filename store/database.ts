import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../config/paths';

/** The folder of the schema's migrations, in the order they apply (node-pg-migrate, SQL files). */
export const MIGRATIONS_DIR = resolve(PROJECT_ROOT, 'store', 'migrations');
/** Where node-pg-migrate records which migrations ran. */
export const MIGRATIONS_TABLE = 'schema_migrations';

import { DatabaseError } from './database-error';

export { DatabaseError };

/** The migrations this code knows, by name (the file name without `.sql`), in order. */
export function knownMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.replace(/\.sql$/, ''))
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
}

/** Where a database URL points, without its password: for messages and logs. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'the database URL (it does not parse)';
  }
}

/**
 * A connection pool on `url`, checked before it is handed out: the server answers, and its schema is exactly the one
 * this code's migrations make (a worker never writes evidence into a schema it does not know).
 */
export async function openDatabase(url: string, options: { max?: number } = {}): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 5000 });
  // An idle client that loses its server (a restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    const applied = await pool.query<{ name: string }>(
      `SELECT name FROM public.${MIGRATIONS_TABLE} ORDER BY run_on, id`,
    );
    schemaProblem(applied.rows.map((r) => r.name));
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError(explain(err, url), { cause: err });
  }
  return pool;
}

/** Throws when the applied migrations are not exactly the ones this code knows. */
function schemaProblem(applied: string[]): void {
  const known = knownMigrations();
  const unknown = applied.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new DatabaseError(
      `the database schema is newer than this code (migration ${unknown.join(', ')}): run a build that knows it`,
    );
  }
  const missing = known.filter((name) => !applied.includes(name));
  if (missing.length > 0) {
    throw new DatabaseError(
      `the database schema is older than this code (missing ${missing.join(', ')}): run \`npx campaign db migrate\` with the owner's URL`,
    );
  }
}

/** One line for why the database cannot be used, never with the password. */
export function explain(err: unknown, url: string): string {
  const code = (err as { code?: string }).code;
  const where = describeUrl(url);
  if (code === '42P01') return `the database at ${where} has no governance schema: run \`npx campaign db migrate\``;
  if (code === '28P01' || code === '28000') return `the database at ${where} refused the login (user or password)`;
  if (code === '3D000') return `the database at ${where} does not exist`;
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return `cannot reach the database at ${where}: ${message || code || 'no answer'}`;
}

/** Runs the migrations this code knows on `ownerUrl` (the owner role); returns the names it applied. */
export async function migrate(ownerUrl: string): Promise<string[]> {
  const { runner } = await import('node-pg-migrate');
  const silent = () => undefined;
  try {
    const ran = await runner({
      databaseUrl: ownerUrl,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: 'up',
      count: Number.POSITIVE_INFINITY,
      checkOrder: true,
      singleTransaction: true,
      logger: { debug: silent, info: silent, warn: silent, error: silent },
    });
    return ran.map((m) => m.name);
  } catch (err) {
    throw new DatabaseError(`migration failed on ${describeUrl(ownerUrl)}: ${explain(err, ownerUrl)}`, { cause: err });
  }
}
