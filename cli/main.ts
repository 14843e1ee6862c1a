import { Command, CommanderError } from 'commander';
import { describeFailure } from './errors';
import { versionText } from './version';

const program = new Command('campaign')
  .description('Governed marketing campaigns on Temporal: start, follow, approve.')
  .option('-V, --version', 'print the version, the build id of the workflow code and the git revision')
  .showHelpAfterError()
  .exitOverride();
type Register = (program: Command) => void;
/**
 * Each command's module, loaded only when it is the one run (or for `--help`, which lists them all): a command should
 * not pay to load the SDKs and libraries of the others before it does anything.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  dev: async () => (await import('./dev')).registerDev,
  worker: async () => (await import('./worker')).registerWorker,
  start: async () => (await import('./start')).registerStart,
  status: async () => (await import('./status')).registerStatus,
  list: async () => (await import('./list')).registerList,
  show: async () => (await import('./show')).registerShow,
  inbox: async () => (await import('./inbox')).registerInbox,
  approve: async () => (await import('./decide')).registerDecisions,
  reject: async () => (await import('./decide')).registerDecisions,
  'request-changes': async () => (await import('./decide')).registerDecisions,
  sign: async () => (await import('./decide')).registerDecisions,
  budget: async () => (await import('./budget')).registerBudget,
  keys: async () => (await import('./keys')).registerKeys,
  login: async () => (await import('./login')).registerLogin,
  logout: async () => (await import('./login')).registerLogin,
  'codec-server': async () => (await import('./codec-server')).registerCodecServer,
  audit: async () => (await import('./audit')).registerAudit,
  replay: async () => (await import('./replay')).registerReplay,
  policy: async () => (await import('./policy')).registerPolicy,
  prune: async () => (await import('./prune')).registerPrune,
  db: async () => (await import('./db')).registerDb,
};
const [named, ...rest] = process.argv.slice(2);
if ((named === '--version' || named === '-V') && rest.length === 0) {
  console.log(await versionText());
  process.exit(0);
}
const loaders = named && Object.hasOwn(COMMANDS, named) ? [COMMANDS[named]] : Object.values(COMMANDS);
const registered = new Set<Register>();
for (const register of await Promise.all(loaders.map((load) => (load as () => Promise<Register>)()))) {
  // approve, reject, request-changes and sign share one module, which registers all four.
  if (registered.has(register)) continue;
  registered.add(register);
  register(program);
}

try {
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
