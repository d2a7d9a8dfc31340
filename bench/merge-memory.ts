/**
 * Peak memory of a distributed merge with class probabilities (a one-off measurement, not part of `npm run bench`: it
 * writes GBs of files). Writes an audit config over seeded softmax `.npy` files (bench/probabilities_scale_reference.py),
 * plans it with `probabilities: true`, runs the shard here (each evaluate job copies its member's rows into the
 * artifact folder), and prints the merge command to time from outside:
 *
 *   /usr/bin/python3 bench/probabilities_scale_reference.py generate /tmp/pie-merge 3 6 20000 1000
 *   npx tsx bench/merge-memory.ts /tmp/pie-merge 3 6
 *   /usr/bin/time -v npx tsx src/cli/main.ts merge /tmp/pie-merge/plan --out /tmp/pie-merge/out --quiet
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../src/cli/run-cli.js';

const [dir = '/tmp/pie-merge', levelArg = '3', modelArg = '6'] = process.argv.slice(2);
const levels = Number(levelArg);
const models = Number(modelArg);
const keys = Array.from({ length: levels }, (_, l) => (l === 0 ? '0' : String(Math.round((l / levels) * 100) / 100)));
const population = Object.fromEntries(
  keys.map((key, l) => [key, Array.from({ length: models }, (_, m) => `level${l}_model${String(m).padStart(3, '0')}.npy`)]),
);
const config = join(dir, 'audit.json');
writeFileSync(
  config,
  JSON.stringify({
    population,
    testSet: { labels: 'labels.npy' },
    probabilities: true,
    bootstrap: { resamples: 0 },
    noiseFloor: { draws: 99 },
  }),
);
const io = { stdout: (t: string) => process.stdout.write(t), stderr: process.stderr };
const plan = join(dir, 'plan');
if ((await runCli(['plan', config, '--shards', '1', '--out', plan], io)) !== 0) process.exit(1);
const started = performance.now();
if ((await runCli(['run-shard', plan, '--index', '0', '--quiet'], io)) !== 0) process.exit(1);
console.log(`shard: ${((performance.now() - started) / 1000).toFixed(1)} s; now time the merge:`);
console.log(`/usr/bin/time -v npx tsx src/cli/main.ts merge ${plan} --out ${join(dir, 'out')} --quiet`);
