/**
 * Wall time of building the demo's population (MNIST long tail, 5 seeds x 6 levels, MLP 784-128-10) in
 * each regime: 'fineTune' (paired: prune each seed's baseline, fine-tune), the same with random-pruning
 * controls, and 'fromScratch' (independent: every (seed, level) model trained from its own
 * initialisation with gradual pruning, as Hooker et al.). The peer is the fine-tune regime itself: the
 * other regimes are reported as multiples of its time.
 *
 * `npx tsx bench/populations.ts` or `npm run bench -- populations`. Writes docs/benchmarks.md#populations.
 */
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { buildDemoPopulation, demoRecipe, type DemoRecipe } from '../src/cli/demo.js';
import { disposePopulation } from '../src/population/population.js';
import { cpuModel } from './lib/machine.js';
import { writeBenchmarkSection } from './lib/write-section.js';

interface RegimeTiming {
  name: string;
  design: string;
  models: number;
  seconds: number;
  sparsity: string;
}

const quiet = { update: () => {}, log: () => {}, done: () => {} };

async function timeRegime(name: string, recipe: DemoRecipe): Promise<RegimeTiming> {
  const started = performance.now();
  const { population } = await buildDemoPopulation(recipe, quiet);
  const seconds = (performance.now() - started) / 1000;
  try {
    const models = Object.values(population.levels).reduce((a, m) => a + m.length, 0);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sparsity = population.levelKeys.map((k) => `${k}: ${(mean(population.measuredSparsity[k]) * 100).toFixed(1)}%`).join(', ');
    return { name, design: population.design.kind, models, seconds, sparsity };
  } finally {
    disposePopulation(population);
  }
}

/** Runs the three regimes in turn and rewrites the section. */
export async function main(): Promise<void> {
  const base = demoRecipe();
  const rows: RegimeTiming[] = [];
  for (const [name, recipe] of [
    ['fineTune (default)', base],
    ['fineTune + randomControl', { ...base, randomControl: true }],
    ['fromScratch', { ...base, regime: 'fromScratch' as const }],
  ] as const) {
    const row = await timeRegime(name, recipe);
    console.log(`${name}: ${row.models} models in ${row.seconds.toFixed(1)} s`);
    rows.push(row);
  }
  const reference = rows[0].seconds;
  const table = rows.map(
    (r) =>
      `| ${[r.name, r.design, r.models, r.seconds.toFixed(1), (r.seconds / r.models).toFixed(2)].join(' | ')} | ` +
      `${(r.seconds / reference).toFixed(2)}x | ${r.sparsity} |`,
  );
  writeBenchmarkSection(
    'populations',
    [
      '## Building the demo population per regime',
      '',
      'MNIST long tail, MLP 784-128-10 (classifier kept dense), seeds 1-5, levels 0-0.99; baselines and from-scratch models ' +
        `train ${base.epochs} epochs, fine-tuning ${base.fineTuneEpochs} epochs over ${base.fineTuneSubset} images.`,
      `${cpuModel()}, ${cpus().length} cores, load ${loadavg()[0].toFixed(2)} at the end; tfjs wasm.`,
      'A load above the core count (other jobs) inflates the absolute times alike; compare the ratios.',
      '',
      '| regime | design | models | build (s) | s per model | vs fineTune | mean prunable sparsity per level |',
      '| --- | --- | ---: | ---: | ---: | ---: | --- |',
      ...table,
    ].join('\n'),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
