import { Command, CommanderError } from 'commander';
import { useNodeEd25519 } from '../keys/node-ed25519';
import { registerAudit } from './audit';
import { registerBudget } from './budget';
import { registerCodecServer } from './codec-server';
import { registerDb } from './db';
import { registerDecisions } from './decide';
import { registerDev } from './dev';
import { describeFailure } from './errors';
import { registerInbox } from './inbox';
import { registerKeys } from './keys';
import { registerList } from './list';
import { registerLogin } from './login';
import { registerPolicy } from './policy';
import { registerPrune } from './prune';
import { registerReplay } from './replay';
import { registerShow } from './show';
import { registerStart } from './start';
import { registerStatus } from './status';
import { versionText } from './version';
import { registerWorker } from './worker';

// Verifying a campaign's evidence checks hundreds of signatures; Node's Ed25519 does it without the pure-JS curve's cost.
useNodeEd25519();

const program = new Command('campaign')
  .description('Governed marketing campaigns on Temporal: start, follow, approve.')
  .option('-V, --version', 'print the version, the build id of the workflow code and the git revision')
  .showHelpAfterError()
  .exitOverride();
for (const register of [
  registerDev,
  registerWorker,
  registerStart,
  registerStatus,
  registerList,
  registerShow,
  registerInbox,
  registerDecisions,
  registerBudget,
  registerKeys,
  registerLogin,
  registerCodecServer,
  registerAudit,
  registerReplay,
  registerPolicy,
  registerPrune,
  registerDb,
]) {
  register(program);
}

try {
  const [only, ...more] = process.argv.slice(2);
  if ((only === '--version' || only === '-V') && more.length === 0) {
    console.log(await versionText());
    process.exit(0);
  }
  await program.parseAsync(process.argv);
  // Open gRPC channels would keep the process alive; exit, but only once stdout is flushed to a pipe.
  await new Promise<void>((done) => process.stdout.write('', () => done()));
  process.exit(process.exitCode ?? 0);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  const { message, exitCode } = describeFailure(err);
  console.error(`campaign: ${message}`);
  process.exit(exitCode);
}
