import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { stopProcess } from '../worker/child-process';
import { ensureBinary, TEMPORAL_UI_SERVER } from './binaries';

/** How to run the Temporal UI server with login. */
export interface UiServerOptions {
  port: number;
  temporalAddress: string;
  namespace: string;
  /** The OpenID provider and the UI's confidential client there. */
  login: { issuer: string; clientId: string; clientSecret: string };
  /** The codec server (https): the UI sends it the person's tokens with every payload. */
  codecEndpoint: string;
  readyTimeoutMs?: number;
}

/** A running UI server that this process owns. */
export interface RunningUiServer {
  /** `http://localhost:PORT`: where people open the UI (the login's cookies are for this origin). */
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `temporalio/ui-server` (the Temporal UI with OpenID Connect login), configured for approvers: the login is
 * required, the codec gets the person's tokens, and the UI's Signal, Reset, Terminate and batch actions are off (a
 * campaign decides only through its validated Update).
 */
export async function startUiServer(options: UiServerOptions): Promise<RunningUiServer> {
  const binary = ensureBinary(TEMPORAL_UI_SERVER);
  const url = `http://localhost:${options.port}`;
  const root = mkdtempSync(join(tmpdir(), 'campaign-ui-server-'));
  mkdirSync(join(root, 'config'));
  const config = {
    temporalGrpcAddress: options.temporalAddress,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: options.namespace,
    disableNewsFetch: true,
    auth: {
      enabled: true,
      providers: [
        {
          label: 'Company login',
          type: 'oidc',
          providerUrl: options.login.issuer,
          clientId: options.login.clientId,
          clientSecret: options.login.clientSecret,
          scopes: ['openid', 'profile', 'email'],
          callbackUrl: `${url}/auth/sso/callback`,
        },
      ],
    },
    cors: { cookieInsecure: url.startsWith('http://'), allowOrigins: [url] },
    codec: { endpoint: options.codecEndpoint, passAccessToken: true },
    workflowSignalDisabled: true,
    workflowResetDisabled: true,
    workflowTerminateDisabled: true,
    batchActionsDisabled: true,
  };
  // The config holds the client secret: readable by this user only, and removed with the server.
  writeFileSync(join(root, 'config', 'campaign.yaml'), stringify(config), { mode: 0o600 });
  const child = spawn(binary, ['--root', root, '--config', 'config', '--env', 'campaign', 'start'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = async () => {
    await stopProcess(child, 5000);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(child, `${url}/api/v1/settings`, options.readyTimeoutMs ?? 30_000, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, pid: child.pid, stop };
}

async function waitUntilServing(child: ChildProcess, probe: string, timeoutMs: number, log: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the UI server exited (${child.exitCode}): ${log().trim()}`);
    const answered = await fetch(probe).then(
      (r) => r.ok,
      () => false,
    );
    if (answered) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the UI server did not answer at ${probe} within ${timeoutMs} ms: ${log().trim()}`);
}
