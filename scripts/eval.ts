import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { loadModelConfig } from '../activities/model-gateway/model-config';
import { readBriefFile } from '../client/brief-file';
import { PROJECT_ROOT } from '../config/paths';
import { settings } from '../config/settings';
import { withThrowawayStack } from '../devserver/throwaway-stack';
import { type BriefEvaluation, evaluateBrief, failsEvaluation, renderTable } from '../eval/evaluate';

/**
 * `npm run eval`: every golden brief in examples/golden through the real workflow to the approval gate, on a throwaway
 * dev server, with the models the environment selects (offline unless OPENAI_API_KEY or OPENAI_BASE_URL is set).
 * Writes eval-results/<brief>.json (the measures and the copy) and eval-results/summary.md, prints the table, and exits 1
 * when a brief missed the gate, reached it with blocking findings, grounded no claim or ignored the change request.
 */
const goldenDir = resolve(PROJECT_ROOT, 'examples/golden');
const outDir = resolve(process.env.EVAL_OUT_DIR ?? resolve(PROJECT_ROOT, 'eval-results'));
const files = readdirSync(goldenDir)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();
const { provider, baseURL } = loadModelConfig(settings().paths.modelConfigFile, settings().models);
process.stderr.write(
  `evaluating ${files.length} golden briefs on the ${provider} model${baseURL ? ` at ${baseURL}` : ''} ...\n`,
);

const results = await withThrowawayStack(async ({ client, taskQueue, keyDir }) => {
  const evaluations: BriefEvaluation[] = [];
  for (const [i, file] of files.entries()) {
    const name = basename(file).replace(/\.(ya?ml|json)$/, '');
    const result = await evaluateBrief(client, name, readBriefFile(resolve(goldenDir, file)), { taskQueue, keyDir });
    process.stderr.write(
      `[${i + 1}/${files.length}] ${name}: ${result.reachedGate ? `gate in ${result.latencyMs} ms` : result.error}\n`,
    );
    evaluations.push(result);
  }
  return evaluations;
});

mkdirSync(outDir, { recursive: true });
for (const result of results)
  writeFileSync(resolve(outDir, `${result.brief}.json`), `${JSON.stringify(result, null, 2)}\n`);
const table = renderTable(results);
writeFileSync(resolve(outDir, 'summary.md'), `# Evaluation (${provider} model)\n\n${table}\n`);
console.log(table);
process.stderr.write(`wrote ${outDir}/summary.md and one JSON per brief\n`);
// A brief fails when its copy reached the gate blocked, grounded nothing, or ignored the change request.
const failures = results.flatMap((r) => failsEvaluation(r) ?? []);
for (const failure of failures) process.stderr.write(`FAIL ${failure}\n`);
process.exit(failures.length === 0 ? 0 : 1);
