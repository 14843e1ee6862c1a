import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readBriefFile } from '../client/brief-file';
import { PROJECT_ROOT } from '../config/paths';
import { driveCampaign, withConcurrency } from '../devserver/campaign-load';
import { processStats } from '../devserver/proc-stats';
import { startProcessStack } from '../devserver/process-stack';

/**
 * `npm run soak [-- --minutes 30 --burst 60 --idle 60 --concurrency 10]`: bursts of campaigns, each driven from brief
 * to outbox, with idle gaps between them (the pattern after which workers used to abort), against a real worker
 * process on a private dev server. Fails (exit 1) when the worker or the server dies or a campaign does not publish.
 */
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    burst: { type: 'string', default: '60' },
    idle: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '10' },
  },
});
const minutes = positive(values.minutes, '--minutes');
const burst = positive(values.burst, '--burst');
const idleSeconds = positive(values.idle, '--idle');
const concurrency = positive(values.concurrency, '--concurrency');
const brief = readBriefFile(resolve(PROJECT_ROOT, 'examples/briefs/green-tariff-launch.yaml'));
const say = (line: string) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

say(`${minutes} min of bursts of ${burst} campaigns (${concurrency} at a time), ${idleSeconds} s idle between`);
const deaths: string[] = [];
const stack = await startProcessStack({
  report: (line) => {
    deaths.push(line);
    say(line);
  },
});
const serverPid = stack.server.pid;
const endAt = Date.now() + minutes * 60_000;
let published = 0;
let failures = 0;
let round = 0;
try {
  while (Date.now() < endAt && deaths.length === 0) {
    round += 1;
    const started = Date.now();
    const outcomes = await withConcurrency(burst, concurrency, (i) =>
      driveCampaign(stack.client, {
        brief,
        workflowId: `soak-${round}-${i}`,
        taskQueue: stack.taskQueue,
        keyDir: stack.keyDir,
      }).then(
        (c) => c.result.outcome.kind,
        (err: unknown) => `error: ${err instanceof Error ? err.message : String(err)}`,
      ),
    );
    const ok = outcomes.filter((o) => o === 'published').length;
    published += ok;
    failures += burst - ok;
    for (const problem of new Set(outcomes.filter((o) => o !== 'published')))
      say(`campaign did not publish: ${problem}`);
    const worker = processStats(stack.worker.current?.pid);
    say(
      `burst ${round}: ${ok}/${burst} published in ${((Date.now() - started) / 1000).toFixed(1)} s (total ${published}); ` +
        `worker RSS ${worker?.rssMiB.toFixed(0) ?? '-'} MiB; worker deaths ${deaths.length}`,
    );
    if (processStats(serverPid) === null) throw new Error('the dev server died');
    if (Date.now() + idleSeconds * 1000 < endAt && deaths.length === 0) {
      await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    }
  }
} finally {
  await stack.stop();
}
const passed = deaths.length === 0 && failures === 0;
say(
  `${passed ? 'PASSED' : 'FAILED'}: ${round} bursts, ${published} campaigns published, ${failures} failed, ` +
    `${deaths.length} worker deaths`,
);
process.exit(passed ? 0 : 1);

function positive(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`soak: ${flag}: '${value}' is not a positive number\n`);
    process.exit(2);
  }
  return n;
}
