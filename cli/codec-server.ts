import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createFileDataStore } from '../activities/data-store';
import { type RunningCodecServer, startCodecServer } from '../codec/codec-server';
import { codecFrom } from '../codec/data-converter';
import { createLoginGate } from '../codec/login-gate';
import { type Settings, settings } from '../config/settings';
import { ensureTrustedKey } from '../keys/worker-keys';
import { BAD_INPUT, CliError } from './errors';

interface CodecServerOptions {
  port: string;
  host: string;
  uiOrigin: string[];
  namespace?: string[];
  tlsCert?: string;
  tlsKey?: string;
}

/**
 * `campaign codec-server`: decodes payloads for the Temporal UI, for roster people signed in at the company's OpenID
 * provider (with `CAMPAIGN_OIDC_ISSUER`; what they type is stamped as theirs), or else for whoever holds the token.
 */
export function registerCodecServer(program: Command): void {
  program
    .command('codec-server')
    .description(
      'serve the payload codec to the Temporal UI (POST /decode, /encode): to signed-in roster people with CAMPAIGN_OIDC_ISSUER, else to holders of the token',
    )
    .option('--port <port>', 'port to listen on', '8234')
    .option('--host <host>', 'address to listen on (keep it loopback unless TLS terminates in front)', '127.0.0.1')
    .option('--ui-origin <origin...>', 'origins of the Temporal UI allowed to call from a browser', [
      'http://localhost:8233',
      'http://127.0.0.1:8233',
    ])
    .option('--namespace <namespace...>', 'namespaces to answer for (default: TEMPORAL_NAMESPACE)')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM); the UI sends logins only to https://')
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM)')
    .action(async (opts: CodecServerOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CliError(`--port: '${opts.port}' is not a port`, BAD_INPUT);
      }
      const base = settings();
      const configured = base.codec;
      const codec = codecFrom(configured);
      if (!codec) {
        throw new CliError(
          `no payload key is configured: set CAMPAIGN_CODEC_KEYS or CAMPAIGN_CODEC_KEY_FILE, or create ${configured.defaultKeyFile} with \`npx campaign keys codec\``,
        );
      }
      const tls = tlsOf(opts);
      const namespaces = opts.namespace ?? [base.temporal.namespace];
      const common = {
        codec,
        port,
        host: opts.host,
        allowedOrigins: opts.uiOrigin,
        namespaces,
        ...(tls ? { tls } : {}),
        log: (line: string) => process.stderr.write(`codec-server: ${line}\n`),
      };
      let running: RunningCodecServer;
      let who: string;
      if (base.login.issuer) {
        running = await startCodecServer({ ...common, auth: { login: loginGate(base, tls !== null) } });
        who = `  callers: roster people with an ID token of ${base.login.issuer} for ${base.login.clientId} or ${base.login.cliClientId}; what they type is stamped with ${base.login.keyFile}`;
      } else {
        const token = configured.token ?? randomBytes(24).toString('hex');
        running = await startCodecServer({ ...common, auth: { token } });
        who = configured.token
          ? '  token: from CAMPAIGN_CODEC_TOKEN'
          : `  token: ${token} (a new one each start; set CAMPAIGN_CODEC_TOKEN to keep one)`;
      }
      console.log(
        [
          `codec server on ${running.url} for ${opts.uiOrigin.join(', ')}, namespace ${namespaces.join(', ')}`,
          who,
          base.login.issuer
            ? `  Temporal UI codec endpoint: ${running.url}, with "pass access token"`
            : `  Temporal UI codec endpoint: ${running.url}/<token>   (or an HTTPS endpoint with "pass access token")`,
          '  press Ctrl-C to stop',
        ].join('\n'),
      );
      await new Promise<void>((done) => process.once('SIGINT', done).once('SIGTERM', done));
      await running.close();
    });
}

/** The certificate and key to serve HTTPS with, both or neither. */
function tlsOf(opts: CodecServerOptions): { cert: string; key: string } | null {
  if (!opts.tlsCert && !opts.tlsKey) return null;
  if (!opts.tlsCert || !opts.tlsKey) throw new CliError('--tls-cert and --tls-key go together', BAD_INPUT);
  const read = (file: string, flag: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw new CliError(`${flag}: cannot read ${file}`, BAD_INPUT);
    }
  };
  return { cert: read(opts.tlsCert, '--tls-cert'), key: read(opts.tlsKey, '--tls-key') };
}

/** The login gate of the company's provider, with the login service key the workers' trust list holds. */
function loginGate(base: Settings, https: boolean) {
  const { issuer, clientId, cliClientId, keyFile, keysFile } = base.login;
  if (!issuer) throw new CliError('CAMPAIGN_OIDC_ISSUER: required for logins', BAD_INPUT);
  if (!clientId) {
    throw new CliError(
      "CAMPAIGN_OIDC_CLIENT_ID: required with CAMPAIGN_OIDC_ISSUER (the Temporal UI's client id there, the ID tokens' audience)",
      BAD_INPUT,
    );
  }
  if (!https) {
    throw new CliError(
      'with logins the codec server serves HTTPS (the UI sends tokens only to https:// endpoints): give --tls-cert and --tls-key',
      BAD_INPUT,
    );
  }
  const secretKeyHex = ensureTrustedKey(keyFile, keysFile, {
    demo: base.demo,
    whose: "the login service's stamping key",
    setting: 'CAMPAIGN_LOGIN_KEYS_FILE',
  });
  const data = createFileDataStore(base.paths.dataDir);
  return createLoginGate({
    issuer,
    clientIds: [clientId, cliClientId],
    people: () => data.roster().people,
    secretKeyHex,
  });
}
