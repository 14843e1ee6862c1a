import { resolve } from 'node:path';
import type { Command } from 'commander';
import { settings } from '../config/settings';
import { ROSTER_ID_CHARACTERS, rosterIdSchema } from '../domain/roster-id';
import { addCodecKey } from '../keys/codec-keys';
import { createKeyPair } from '../keys/signing-keys';
import { ensureWorkerKeyFile, workerKeyEntry } from '../keys/worker-keys';
import { BAD_INPUT, CliError } from './errors';

/** `campaign keys new --as USER`: an Ed25519 key pair for signing decisions. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('signing keys for decisions, and the payload encryption key');
  keys
    .command('codec')
    .description('create the payload encryption key file, or add a new current key to it (rotation)')
    .option('--file <path>', 'the key file (default: CAMPAIGN_CODEC_KEY_FILE, else codec-keys.yaml in the key folder)')
    .action((opts: { file?: string }) => {
      const { keyFile, defaultKeyFile } = settings().codec;
      const file = resolve(opts.file ?? (keyFile && keyFile !== 'none' ? keyFile : defaultKeyFile));
      const id = addCodecKey(file);
      console.log(
        [
          `new current payload key '${id}' in ${file} (earlier keys kept, so older payloads still decrypt)`,
          '  every worker, client and codec server of the namespace needs this file: restart them to use the new key',
        ].join('\n'),
      );
    });
  keys
    .command('worker')
    .description("make this machine's checkpoint signing key (if there is none) and print its trust list entry")
    .action(() => {
      const { workerKeyFile, workerKeysFile } = settings().database;
      const made = ensureWorkerKeyFile(workerKeyFile);
      const { keyId, publicKey } = workerKeyEntry(workerKeyFile);
      console.log(`  ${keyId}: ${publicKey}`);
      process.stderr.write(
        `${made ? 'made' : 'found'} this worker's checkpoint key in ${workerKeyFile} (keep it secret, one per machine); ` +
          `add the line above under \`keys:\` in the deployment's trust list (here: ${workerKeysFile}) on every machine and for every auditor\n`,
      );
    });
  keys
    .command('new')
    .description('create a signing key pair: the private key stays with you, the public key goes into the roster')
    .option('--as <user>', 'your roster id')
    .action((opts: { as?: string }) => {
      if (!opts.as || !rosterIdSchema.safeParse(opts.as).success) {
        throw new CliError(`--as: required, a roster id (${ROSTER_ID_CHARACTERS})`, BAD_INPUT);
      }
      const created = createKeyPair(settings().paths.keyDir, opts.as);
      console.log(
        [
          `created signing key ${created.keyId} for ${opts.as}`,
          `  private key: ${created.privateKeyPath} (readable only by you; never share it)`,
          `  public key:  ${created.publicKey}`,
          `  added to ${created.keyringPath}, which a worker on this machine reads beside the roster;`,
          `  in production, put \`publicKey: ${created.publicKey}\` on ${opts.as} in the roster instead.`,
        ].join('\n'),
      );
    });
}
