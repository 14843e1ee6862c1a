import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { forgetSession, type LoginSession, loginTarget, saveSession } from '../client/login-session';
import { settings } from '../config/settings';
import { htmlText } from '../domain/escape';
import { CliError } from './errors';

/** How long `campaign login` waits for the person to sign in in their browser. */
const SIGN_IN_WAIT_MS = 5 * 60_000;

/**
 * `campaign login` and `logout`: the CLI signs a person in at the company's OpenID provider (authorization code with
 * PKCE, the answer on a loopback port), so `start`, `approve`, `reject` and `request-changes` go through the codec
 * server with their ID token and are stamped as theirs, like the UI's.
 */
export function registerLogin(program: Command): void {
  program
    .command('login')
    .description(
      'sign in at the company login in your browser; decisions and starts from here are then stamped as yours',
    )
    .action(async () => {
      const { login } = settings();
      const target = loginTarget(login);
      const session = await signIn(target, (url) =>
        process.stdout.write(`open this link in your browser and sign in (waiting 5 minutes):\n  ${url}\n`),
      );
      saveSession(login.sessionFile, session);
      console.log(
        `signed in as ${session.subject} at ${session.issuer} until ${session.expiresAt}; what you start or decide ` +
          'from this terminal is stamped for this login (`npx campaign logout` to stop)',
      );
    });
  program
    .command('logout')
    .description('forget the login `campaign login` made here; decisions are signed with your key again')
    .action(() => {
      const { sessionFile } = settings().login;
      console.log(forgetSession(sessionFile) ? `signed out (${sessionFile} removed)` : 'nobody is signed in here');
    });
}

interface Discovery {
  authorization_endpoint?: string;
  token_endpoint?: string;
}

async function signIn(target: ReturnType<typeof loginTarget>, show: (url: string) => void): Promise<LoginSession> {
  const discovery = (await fetch(new URL('.well-known/openid-configuration', `${target.issuer}/`))
    .then((r) => r.json())
    .catch((err: unknown) => {
      throw new CliError(`the login at ${target.issuer} did not answer (${err instanceof Error ? err.message : err})`);
    })) as Discovery;
  if (!discovery.authorization_endpoint || !discovery.token_endpoint) {
    throw new CliError(`${target.issuer} publishes no authorization or token endpoint`);
  }
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const { server, port } = await listenOnLoopback();
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  try {
    const authorize = new URL(discovery.authorization_endpoint);
    authorize.search = new URLSearchParams({
      client_id: target.clientId,
      response_type: 'code',
      scope: 'openid profile email',
      redirect_uri: redirectUri,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state,
      nonce,
    }).toString();
    show(authorize.toString());
    const code = await codeFrom(server, state);
    const answer = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: target.clientId,
        code_verifier: verifier,
      }),
    });
    const tokens = (await answer.json()) as { id_token?: string; error?: string; error_description?: string };
    if (!answer.ok || !tokens.id_token) {
      throw new CliError(`the login refused the sign-in: ${tokens.error_description ?? tokens.error ?? answer.status}`);
    }
    // The codec server verifies the token's signature on every call; here it is only read, and checked to be ours.
    const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1] ?? '', 'base64url').toString()) as {
      iss?: string;
      sub?: string;
      exp?: number;
      nonce?: string;
    };
    if (claims.iss !== target.issuer || claims.nonce !== nonce || !claims.sub || !claims.exp) {
      throw new CliError('the ID token is not the answer to this sign-in (issuer or nonce differ); nothing was saved');
    }
    return {
      issuer: target.issuer,
      subject: claims.sub,
      idToken: tokens.id_token,
      expiresAt: new Date(claims.exp * 1000).toISOString(),
      codecUrl: target.codecUrl,
      ...(target.caFile ? { caFile: target.caFile } : {}),
    };
  } finally {
    server.close();
  }
}

function listenOnLoopback(): Promise<{ server: Server; port: number }> {
  return new Promise((ready, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ready({ server, port: (server.address() as AddressInfo).port }));
  });
}

/** The authorization code the provider sends to the loopback port, for this sign-in's `state` only. */
function codeFrom(server: Server, state: string): Promise<string> {
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new CliError('no sign-in within 5 minutes; nothing was saved')),
      SIGN_IN_WAIT_MS,
    );
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/callback') {
        res.writeHead(404).end();
        return;
      }
      const error = url.searchParams.get('error');
      const code = url.searchParams.get('code');
      const page = (text: string) =>
        `<!doctype html><meta charset="utf-8"><title>campaign login</title><p>${htmlText(text)}</p>`;
      if (url.searchParams.get('state') !== state || (!code && !error)) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(page('Not this sign-in.'));
        return;
      }
      clearTimeout(timer);
      if (error) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(`Sign-in failed: ${error}`));
        fail(new CliError(`the sign-in failed: ${url.searchParams.get('error_description') ?? error}`));
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(page('Signed in. You can close this tab and go back to the terminal.'));
      done(code ?? '');
    });
  });
}
