import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_FLAGS } from '../domain/search-attributes';
import { stopProcess } from '../worker/child-process';
import { ensureBinary, TEMPORAL_CLI } from './binaries';
import { historyLimitFlags } from './history-limits';

/** How to run `temporal server start-dev`. */
export interface DevServerOptions {
  /** gRPC port; the UI listens on `uiPort`. */
  port: number;
  uiPort: number;
  /** A SQLite file that keeps campaigns across restarts; in-memory when absent. */
  dbFilename?: string;
  namespace?: string;
  headless?: boolean;
  /** The codec server the UI decodes payloads through (`http://host:port/<token>`). */
  uiCodecEndpoint?: string;
  /** How long to wait for the server to answer before giving up. */
  readyTimeoutMs?: number;
}

/** A running dev server that this process owns. */
export interface DevServer {
  address: string;
  /** The server process, for CPU and memory readings. */
  pid: number | undefined;
  namespace: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

/** Starts the Temporal dev server with the project's search attributes and waits until it answers. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const binary = ensureBinary(TEMPORAL_CLI);
  const namespace = options.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--namespace', namespace];
  args.push('--log-level', 'warn');
  if (options.headless) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.uiCodecEndpoint && !options.headless) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFilename) {
    mkdirSync(dirname(options.dbFilename), { recursive: true });
    args.push('--db-filename', options.dbFilename);
    args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL');
  }
  for (const flag of SEARCH_ATTRIBUTE_FLAGS) args.push('--search-attribute', flag);
  args.push(...historyLimitFlags());

  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitUntilServing(child, address, options.readyTimeoutMs ?? 60_000, () => stderr);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address,
    pid: child.pid,
    namespace,
    uiUrl: options.headless ? undefined : `http://localhost:${options.uiPort}`,
    stop: () => stopProcess(child, 10_000),
  };
}

async function waitUntilServing(child: ChildProcess, address: string, timeoutMs: number, stderr: () => string) {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`temporal server exited with ${exited}: ${stderr().trim()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`temporal server did not answer on ${address} within ${timeoutMs} ms: ${stderr().trim()}`);
}
