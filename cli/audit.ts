import type { Command } from 'commander';
import type { AuditOptions } from './audit-actions';
import { BAD_INPUT, CliError } from './errors';

/**
 * `campaign audit ID`, `campaign audit verify FILE|DIR|ID`, `campaign audit verify-marking PACKAGE`,
 * `campaign audit export ID --out DIR`,
 * `campaign audit import DIR`.
 */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description(
      'audit a campaign from the governance store: report (ID), verify (verify FILE|DIR|ID), the AI marking of published copy (verify-marking PACKAGE), evidence pack (export ID), import file trails (import DIR)',
    )
    .argument('<id-or-verb>', 'a campaign id, or verify / verify-marking / export / import')
    .argument('[target]', 'what to verify, export or import')
    .option('--format <format>', 'md or json', 'md')
    .option('--out <path>', 'report: write to this file; export: the pack folder')
    .option(
      '--trust <file>',
      'verify, verify-marking, import: the worker keys you trust (YAML `keys:`), instead of the deployment list (CAMPAIGN_WORKER_KEYS_FILE)',
    )
    .option('--json', 'verify, import: print one JSON document')
    .option('--owner-url <url>', 'import: the owner role URL (default: CAMPAIGN_DATABASE_OWNER_URL)')
    .action(async (first: string, target: string | undefined, opts: AuditOptions) => {
      // Evidence means hundreds of signatures and hashes: Node's crypto checks them faster than pure JavaScript.
      (await import('../keys/node-crypto')).useNodeCrypto();
      // Loaded here: the audit store, Cedar and the history tools are not for every command.
      const actions = await import('./audit-actions');
      if (first === 'verify') return actions.verify(required(target, 'verify'), opts);
      if (first === 'verify-marking') return actions.verifyMarking(required(target, 'verify-marking'), opts);
      if (first === 'export') return actions.exportPack(required(target, 'export'), opts);
      if (first === 'import') {
        const { importTrails } = await import('./audit-import');
        return importTrails(required(target, 'import'), opts);
      }
      return actions.report(first, opts);
    });
}

function required(target: string | undefined, verb: string): string {
  if (!target) throw new CliError(`audit ${verb}: name what to ${verb}`, BAD_INPUT);
  return target;
}
