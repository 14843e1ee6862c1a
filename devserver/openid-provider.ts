import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { htmlText } from '../domain/escape';
import { memoryStore } from './openid-memory-store';

/** A person who can log in to the local provider: the roster id is the subject. Demo passwords only. */
export interface LocalAccount {
  id: string;
  password: string;
}

/** The clients the local provider knows: the UI server (confidential), and the CLI's login (public, PKCE). */
export interface LocalClients {
  ui: { clientId: string; clientSecret: string; redirectUris: string[] };
  cli?: { clientId: string; redirectUris: string[] };
}

/** A running local OpenID provider. */
export interface RunningOpenIdProvider {
  issuer: string;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (`oidc-provider`, certified) on loopback for the demo and the tests: the sample roster's
 * people with demo passwords, a login page that checks them, consent granted for our own clients, RS256 ID tokens
 * with `sub` (the roster id), `email` and `name`. Never for production: the company's own provider is.
 */
export async function startLocalOpenIdProvider(options: {
  port: number;
  accounts: readonly LocalAccount[];
  clients: LocalClients;
  host?: string;
  /** ID token lifetime in seconds (default an hour); tests make expired ones. */
  idTokenTtl?: number;
}): Promise<RunningOpenIdProvider> {
  const issuer = `http://localhost:${options.port}`;
  const accounts = new Map(options.accounts.map((a) => [a.id, a]));
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signing = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: randomBytes(8).toString('hex') };
  const { ui, cli } = options.clients;
  const configuration: Configuration = {
    clients: [
      {
        client_id: ui.clientId,
        client_secret: ui.clientSecret,
        redirect_uris: ui.redirectUris,
        response_types: ['code' as const],
        grant_types: ['authorization_code', 'refresh_token'],
      },
      ...(cli
        ? [
            {
              client_id: cli.clientId,
              token_endpoint_auth_method: 'none' as const,
              application_type: 'native' as const,
              redirect_uris: cli.redirectUris,
              response_types: ['code' as const],
              grant_types: ['authorization_code'],
            },
          ]
        : []),
    ],
    jwks: { keys: [signing as never] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    pkce: { required: (_ctx, client) => client.clientId === cli?.clientId },
    features: { devInteractions: { enabled: false } },
    adapter: memoryStore(),
    // Every kind's lifetime set, so none is left to a default the provider warns about.
    ttl: {
      IdToken: options.idTokenTtl ?? 3600,
      AccessToken: 3600,
      AuthorizationCode: 60,
      Grant: 8 * 3600,
      Interaction: 600,
      Session: 8 * 3600,
      RefreshToken: 8 * 3600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, id) {
      if (!accounts.has(id)) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: `${id}@example.invalid`,
          email_verified: true,
          name: id,
        }),
      };
    },
    // Our own first-party clients: consent is given with the login.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const existing = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client?.clientId ?? '');
      if (existing) return oidc.provider.Grant.find(existing);
      if (!oidc.session?.accountId || !oidc.client) return undefined;
      const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      grant.addOIDCClaims(['email', 'email_verified', 'name']);
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([\w-]+)(\/login|\/allow)?$/.exec(url.pathname);
    if (!match) {
      callback(req, res);
      return;
    }
    interaction(req, res, match[2]).catch(() => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' }).end('login failed; start again');
    });
  });

  async function interaction(req: IncomingMessage, res: ServerResponse, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    // A native client (the CLI on a loopback port) is always asked for: the person says it may act as them.
    if (details.prompt.name === 'consent') {
      if (action !== '/allow') {
        consentPage(res, details.uid, String(details.params.client_id ?? ''));
        return;
      }
      const grant = new provider.Grant({
        clientId: String(details.params.client_id),
        accountId: details.session?.accountId ?? '',
      });
      grant.addOIDCScope('openid email profile');
      grant.addOIDCClaims(['email', 'email_verified', 'name']);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    if (action !== '/login') {
      page(res, details.uid, '');
      return;
    }
    const form = new URLSearchParams(await body(req));
    const account = accounts.get(form.get('login') ?? '');
    const given = Buffer.from(form.get('password') ?? '');
    const valid =
      account && given.length === account.password.length && timingSafeEqual(given, Buffer.from(account.password));
    if (!account || !valid) {
      page(res, details.uid, 'Unknown login or wrong password.');
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.id } },
      { mergeWithLastSubmission: false },
    );
  }

  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host ?? '127.0.0.1', () => ready());
  });
  return {
    issuer,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

function page(res: ServerResponse, uid: string, error: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title>
<style>body{font:16px system-ui,sans-serif;max-width:22rem;margin:4rem auto}label{display:block;margin:.8rem 0}
input{display:block;width:100%;padding:.4rem;margin-top:.2rem}button{padding:.5rem 1.2rem}[role=alert]{color:#b00}</style>
</head><body>
<h1>Sign in (local demo provider)</h1>
${error ? `<p role="alert">${htmlText(error)}</p>` : ''}
<form method="post" action="/interaction/${htmlText(uid)}/login">
<label>Login <input name="login" autocomplete="username" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form></body></html>`;
  res.writeHead(error ? 401 : 200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
}

function consentPage(res: ServerResponse, uid: string, clientId: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Allow</title></head><body>
<h1>Allow ${htmlText(clientId)}?</h1>
<p>The campaign CLI on this computer will start and decide on campaigns as you, for an hour.</p>
<form method="post" action="/interaction/${htmlText(uid)}/allow"><button type="submit">Allow</button></form>
</body></html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 16_384) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
