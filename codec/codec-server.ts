import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { fromJson, type JsonPayload, toJson } from './json-payloads';
import type { LoginGate } from './login-gate';

/** What the codec server needs: the codec, who may call it, and from which browser origins. */
export interface CodecServerOptions {
  codec: PayloadCodec;
  /**
   * Who may call: the bearer token callers must show (in `Authorization: Bearer` or as the first path segment), or,
   * with people's logins, a valid ID token of a roster person; what that person types is stamped as theirs.
   */
  auth: { token: string } | { login: LoginGate };
  /** Serve HTTPS with this certificate (PEM); the UI sends people's tokens only to an https endpoint. */
  tls?: { cert: string; key: string };
  /** Origins of the Temporal UI allowed to call from a browser (CORS), e.g. `http://localhost:8233`. */
  allowedOrigins: readonly string[];
  /** Answer only for these namespaces (the `X-Namespace` the UI sends with every request); any when absent. */
  namespaces?: readonly string[];
  port?: number;
  host?: string;
  /** One line per request, without payloads: method, path without the token, status, payload count. */
  log?: (line: string) => void;
}

/** A running codec server and the endpoint to give the Temporal UI (the token in its path). */
export interface RunningCodecServer {
  server: Server;
  /** `http://host:port/<token>` (or the plain URL with logins): the UI appends `/decode` and `/encode`. */
  endpoint: string;
  /** `http(s)://host:port`, for callers that send the token as a bearer header. */
  url: string;
  close(): Promise<void>;
}

/** The largest request body accepted: a page of history payloads, not a denial of service. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Serves the Temporal codec-server protocol (`POST …/decode`, `POST …/encode`, JSON payloads with base64 fields) for
 * the UI and the CLI: only with the token or a roster person's login, only for the configured origins, and never
 * logging a payload.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const { codec, allowedOrigins, host = '127.0.0.1', log = () => {} } = options;
  const token = 'token' in options.auth ? options.auth.token : null;
  const login = 'login' in options.auth ? options.auth.login : null;
  if (token !== null && token.length < 16) throw new Error('the codec server token must be at least 16 characters');
  const expected = Buffer.from(token ?? '');
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      log(`${req.method} ${redact(req.url ?? '', token)} 500 (${err instanceof Error ? err.name : 'error'})`);
      if (!res.headersSent) send(res, 500, { message: 'the codec could not process the payloads' });
    });
  };
  const server = options.tls ? createTlsServer(options.tls, onRequest) : createServer(onRequest);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (origin && allowedOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    const url = new URL(req.url ?? '/', 'http://codec');
    const segments = url.pathname.split('/').filter(Boolean);
    const fromPath = token !== null && segments.length === 2 ? segments[0] : undefined;
    const action = segments.at(-1);
    const shown = `/${fromPath ? '<token>/' : ''}${action ?? ''}`;
    if (req.method === 'OPTIONS') {
      // A preflight carries no credentials; it learns only which headers and methods are allowed.
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'content-type, x-namespace, authorization, authorization-extras');
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(origin && allowedOrigins.includes(origin) ? 204 : 403).end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') {
      // Opened in a browser to accept the local certificate: says so, and nothing else.
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(certificatePage(allowedOrigins[0]));
      return;
    }
    if (origin && !allowedOrigins.includes(origin)) return refuse(403, 'origin not allowed');
    let who: Awaited<ReturnType<LoginGate['authenticate']>> | null = null;
    if (login) {
      who = await login.authenticate(req.headers);
      if ('refusal' in who) return refuse(401, who.refusal);
    } else {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const shownToken = bearer ?? fromPath;
      if (!shownToken || !sameToken(Buffer.from(shownToken), expected)) return refuse(401, 'a valid token is required');
    }
    if (req.method !== 'POST' || (action !== 'decode' && action !== 'encode'))
      return refuse(404, 'POST /decode or /encode');
    if (options.namespaces) {
      const raw = req.headers['x-namespace'];
      const namespace = Array.isArray(raw) ? raw[0] : raw;
      if (!namespace || !options.namespaces.includes(namespace)) {
        return refuse(
          403,
          `this codec server serves the namespace${options.namespaces.length > 1 ? 's' : ''} ${options.namespaces.join(', ')} only (X-Namespace)`,
        );
      }
    }
    const body = await readBody(req);
    if (body === null) return refuse(413, `request body over ${MAX_BODY_BYTES} bytes`);
    let payloads: Payload[];
    try {
      const parsed = JSON.parse(body) as { payloads?: JsonPayload[] };
      if (!Array.isArray(parsed.payloads)) throw new Error('no payloads');
      payloads = parsed.payloads.map(fromJson);
    } catch {
      return refuse(400, 'the body must be {"payloads": [...]}');
    }
    // What a logged-in person types (a decision) is stamped as theirs before it is encrypted.
    const typed = login && who && !('refusal' in who) && action === 'encode' ? login.stamp(payloads, who) : payloads;
    const out = action === 'decode' ? await codec.decode(typed) : await codec.encode(typed);
    send(res, 200, { payloads: out.map(toJson) });
    log(`POST ${shown} 200 (${payloads.length} payloads${who && !('refusal' in who) ? `, ${who.person}` : ''})`);

    function refuse(status: number, message: string): void {
      send(res, status, { message });
      log(`${req.method} ${shown} ${status}`);
    }
  }

  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => ready());
  });
  const { port } = server.address() as AddressInfo;
  // A certificate names `localhost`; a browser checks the name it connects to.
  const url = options.tls ? `https://localhost:${port}` : `http://${host}:${port}`;
  return {
    server,
    url,
    endpoint: token !== null ? `${url}/${token}` : url,
    // Browsers keep connections open; closing ends them rather than waiting for them.
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** The page a person sees who opens the codec server itself: their browser now trusts its certificate. */
function certificatePage(ui: string | undefined): string {
  const back = ui && /^https?:\/\/[\w.:-]+$/.test(ui) ? ` <a href="${ui}">Back to the Temporal UI</a>.` : '';
  return `<!doctype html><title>Codec server</title><p>This is the codec server the Temporal UI decodes and stamps payloads through. This browser can reach it now.${back}</p>`;
}

function sameToken(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function redact(path: string, token: string | null): string {
  return token ? path.split(token).join('<token>') : path;
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        done(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
