import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { startCodecServer } from '../codec/codec-server';
import { codecFrom } from '../codec/data-converter';
import { settings } from '../config/settings';
import { BAD_INPUT, CliError } from './errors';

interface CodecServerOptions {
  port: string;
  host: string;
  uiOrigin: string[];
}

/** `campaign codec-server`: decodes payloads for the Temporal UI and the CLI of people who hold the token. */
export function registerCodecServer(program: Command): void {
  program
    .command('codec-server')
    .description('serve the payload codec to the Temporal UI (POST /decode, /encode) for people with the token')
    .option('--port <port>', 'port to listen on', '8234')
    .option('--host <host>', 'address to listen on (keep it loopback unless TLS terminates in front)', '127.0.0.1')
    .option('--ui-origin <origin...>', 'origins of the Temporal UI allowed to call from a browser', [
      'http://localhost:8233',
      'http://127.0.0.1:8233',
    ])
    .action(async (opts: CodecServerOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CliError(`--port: '${opts.port}' is not a port`, BAD_INPUT);
      }
      const configured = settings().codec;
      const codec = codecFrom(configured);
      if (!codec) {
        throw new CliError(
          `no payload key is configured: set CAMPAIGN_CODEC_KEYS or CAMPAIGN_CODEC_KEY_FILE, or create ${configured.defaultKeyFile} with \`npx campaign keys codec\``,
        );
      }
      const given = configured.token;
      const token = given ?? randomBytes(24).toString('hex');
      const running = await startCodecServer({
        codec,
        auth: { token },
        port,
        host: opts.host,
        allowedOrigins: opts.uiOrigin,
        log: (line) => process.stderr.write(`codec-server: ${line}\n`),
      });
      console.log(
        [
          `codec server on ${running.url} for ${opts.uiOrigin.join(', ')}`,
          given
            ? '  token: from CAMPAIGN_CODEC_TOKEN'
            : `  token: ${token} (a new one each start; set CAMPAIGN_CODEC_TOKEN to keep one)`,
          `  Temporal UI codec endpoint: ${running.url}/<token>   (or an HTTPS endpoint with "pass access token")`,
          '  press Ctrl-C to stop',
        ].join('\n'),
      );
      await new Promise<void>((done) => process.once('SIGINT', done).once('SIGTERM', done));
      await running.close();
    });
}
