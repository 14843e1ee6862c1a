import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PayloadCodec } from '@temporalio/common';
import { parse, stringify } from 'yaml';
import { type RunningCodecServer, startCodecServer } from '../codec/codec-server';
import { createLoginGate } from '../codec/login-gate';
import type { LoginSettings } from '../config/settings';
import type { Person } from '../domain/knowledge';
import { ensureTrustedKey } from '../keys/worker-keys';
import { localCertificate } from './local-certificate';
import { type RunningOpenIdProvider, startLocalOpenIdProvider } from './openid-provider';
import { type RunningUiServer, startUiServer } from './ui-server';

/** The client id the local provider knows the Temporal UI by: the audience of its ID tokens. */
export const LOCAL_UI_CLIENT_ID = 'temporal-ui';

/** What a CLI on this machine needs to sign in at the local stack (`campaign login`), kept in `localFile`. */
export interface LocalLogin {
  issuer: string;
  cliClientId: string;
  codecUrl: string;
  caFile: string;
}

/** People's logins on the local stack: the provider, the codec server that stamps, and the UI server. */
export interface LoginStack {
  /** Where people open the UI and sign in. */
  uiUrl: string;
  issuer: string;
  clientId: string;
  codecUrl: string;
  /** The codec's certificate, for the browser to trust. */
  certFile: string;
  /** The demo accounts' passwords (roster id → password), kept in `passwordFile`. */
  passwords: Record<string, string>;
  passwordFile: string;
  pids: (number | undefined)[];
  stop(): Promise<void>;
}

/**
 * Starts people's logins for the local stack: a local OpenID provider with the roster's people (demo passwords kept in
 * `passwordFile`), the codec server on HTTPS with the login gate (ID tokens of that provider, decisions stamped with
 * the login service key, which the demo adds to the trust list workers read), and the UI server with the login.
 */
export async function startLoginStack(options: {
  temporalAddress: string;
  namespace: string;
  codec: PayloadCodec;
  people: () => readonly Person[];
  login: Pick<LoginSettings, 'keyFile' | 'keysFile' | 'cliClientId'> & { localFile?: string };
  /** Where the demo's certificate and passwords are kept. */
  dir: string;
  ports: { ui: number; provider: number; codec: number };
  demo: boolean;
}): Promise<LoginStack> {
  const { ports } = options;
  const uiUrl = `http://localhost:${ports.ui}`;
  const secret = ensureTrustedKey(options.login.keyFile, options.login.keysFile, {
    demo: options.demo,
    whose: "the login service's stamping key",
    setting: 'CAMPAIGN_LOGIN_KEYS_FILE',
  });
  const passwordFile = join(options.dir, 'demo-logins.yaml');
  const passwords = demoPasswords(passwordFile, options.people());
  const certificate = await localCertificate(join(options.dir, 'tls'));
  const clientSecret = randomBytes(24).toString('hex');
  const started: { stop(): Promise<void> }[] = [];
  try {
    const provider: RunningOpenIdProvider = await startLocalOpenIdProvider({
      port: ports.provider,
      accounts: Object.entries(passwords).map(([id, password]) => ({ id, password })),
      clients: {
        ui: { clientId: LOCAL_UI_CLIENT_ID, clientSecret, redirectUris: [`${uiUrl}/auth/sso/callback`] },
        // `campaign login`: a public client on any loopback port (RFC 8252), with PKCE.
        cli: { clientId: options.login.cliClientId, redirectUris: ['http://127.0.0.1/callback'] },
      },
    });
    started.push({ stop: provider.close });
    const codec: RunningCodecServer = await startCodecServer({
      codec: options.codec,
      auth: {
        login: createLoginGate({
          issuer: provider.issuer,
          clientIds: [LOCAL_UI_CLIENT_ID, options.login.cliClientId],
          people: options.people,
          secretKeyHex: secret,
        }),
      },
      tls: certificate,
      port: ports.codec,
      allowedOrigins: [uiUrl],
      namespaces: [options.namespace],
    });
    started.push({ stop: codec.close });
    const ui: RunningUiServer = await startUiServer({
      port: ports.ui,
      temporalAddress: options.temporalAddress,
      namespace: options.namespace,
      login: { issuer: provider.issuer, clientId: LOCAL_UI_CLIENT_ID, clientSecret },
      codecEndpoint: codec.url,
    });
    started.push(ui);
    if (options.login.localFile) {
      const local: LocalLogin = {
        issuer: provider.issuer,
        cliClientId: options.login.cliClientId,
        codecUrl: codec.url,
        caFile: certificate.certFile,
      };
      // Kept after the stack stops: auditors on this machine still check decisions against this provider's logins.
      writeFileSync(options.login.localFile, `${JSON.stringify(local, null, 2)}\n`, { mode: 0o600 });
    }
    return {
      uiUrl,
      issuer: provider.issuer,
      clientId: LOCAL_UI_CLIENT_ID,
      codecUrl: codec.url,
      certFile: certificate.certFile,
      passwords,
      passwordFile,
      pids: [ui.pid],
      stop: async () => {
        for (const part of started.reverse()) await part.stop();
      },
    };
  } catch (err) {
    for (const part of started.reverse()) await part.stop().catch(() => undefined);
    throw err;
  }
}

/** A demo password for each roster person, made once and kept in `file` (mode 600). Demo only. */
function demoPasswords(file: string, people: readonly Person[]): Record<string, string> {
  const kept = existsSync(file) ? ((parse(readFileSync(file, 'utf8')) as Record<string, string> | null) ?? {}) : {};
  const passwords = Object.fromEntries(
    people.filter((p) => p.login).map((p) => [p.id, kept[p.id] ?? randomBytes(6).toString('base64url')]),
  );
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `# Demo logins of the local OpenID provider (demo only)\n${stringify(passwords)}`, {
    mode: 0o600,
  });
  return passwords;
}
