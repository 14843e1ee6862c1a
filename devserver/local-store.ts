import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from '../store/database';
import { type LocalPostgres, startLocalPostgres } from './postgres';

/** A local PostgreSQL server with the governance schema in place, and the worker role's URL. */
export interface LocalStore {
  postgres: LocalPostgres;
  /** The worker role's URL: what workers and the CLI connect with. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the local stack's PostgreSQL server (data in `dataDir`, made on first use), brings its schema up to date, and
 * writes the worker role's URL to `urlFile` (owner-readable only), where a CLI in another terminal finds it.
 */
export async function startLocalStore(options: {
  dataDir: string;
  port: number;
  urlFile?: string;
  log?: (line: string) => void;
}): Promise<LocalStore> {
  mkdirSync(dirname(options.dataDir), { recursive: true });
  const postgres = await startLocalPostgres({
    dataDir: options.dataDir,
    port: options.port,
    ...(options.log ? { log: options.log } : {}),
  });
  try {
    await migrate(postgres.url('owner'));
  } catch (err) {
    await postgres.stop();
    throw err;
  }
  const url = postgres.url('worker');
  if (options.urlFile) writeFileSync(options.urlFile, `${url}\n`, { mode: 0o600 });
  return { postgres, url, stop: () => postgres.stop() };
}
