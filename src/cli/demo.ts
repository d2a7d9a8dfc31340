import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { auditCompression } from '../audit/audit-compression.js';
import type { AuditReport } from '../audit/report-types.js';
import { buildPopulationLocally } from '../distribute/build-population-locally.js';
import { createRecipe, demoRecipe, type DemoRecipe } from '../distribute/demo-recipe.js';
import { distributeModule } from '../distribute/module-paths.js';
import { buildPopulation } from '../population/build-population.js';
import { disposePopulation, type Population } from '../population/population.js';
import { writeReports } from '../report/write-reports.js';
import type { Progress } from './progress.js';
import { formatSummary } from './summary.js';

export { demoRecipe, type DemoRecipe } from '../distribute/demo-recipe.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Folder for the reports (created). */
  out: string;
  /** Models per level (default 5; 2 with `quick`). */
  models?: number;
  quick?: boolean;
  /** Replace parts of the recipe (used to tune and to test). */
  recipe?: Partial<DemoRecipe>;
  /** Local workers (worker threads) building the population (default {@link defaultPopulationWorkers}); 1 builds it in this thread. */
  workers?: number;
  /** Inference runtime for the audit: 'auto' (ONNX Runtime when installed, else tfjs), 'tfjs' or 'onnx'. */
  runtime?: 'auto' | 'tfjs' | 'onnx';
  progress: Progress;
  print: (text: string) => void;
}

/** What {@link buildDemoPopulation} returns: the pruned population and the test images it is audited on. */
export interface DemoPopulation {
  population: Population;
  testImages: Float32Array;
  testLabels: Uint8Array;
  classNames: string[];
}

/**
 * The demo's data and population without the audit: MNIST with the long-tail digit, k MLPs trained
 * with fixed seeds, each pruned to every level with fine-tuning. Used by {@link runDemo} and by the
 * checks that compare runtimes on the demo's own models. The caller disposes the population.
 *
 * @example
 * const quiet = { update() {}, log() {}, done() {} };
 * const { population, testImages } = await buildDemoPopulation(demoRecipe({ quick: true }), quiet);
 * disposePopulation(population);
 */
export async function buildDemoPopulation(recipe: DemoRecipe, progress: Progress, elapsed: () => string = () => '', workers = 1): Promise<DemoPopulation> {
  const built = await createRecipe(recipe);
  progress.log(`demo: ${built.describe ?? ''}${workers > 1 ? ` (${workers} worker threads)` : ''}`);
  const label = (phase: string) => (phase === 'train' ? `training (${elapsed()})` : `pruning (${elapsed()})`);
  const population =
    workers > 1
      ? await buildPopulationLocally({ module: distributeModule('demo-recipe'), params: recipe }, workers, (phase, done, total) => progress.update(label(phase), done, total))
      : await buildPopulation({
          createModel: built.createModel,
          train: built.train,
          levels: built.levels,
          seeds: built.seeds,
          fineTune: built.fineTune,
          onProgress: (p) => progress.update(label(p.phase), p.completed, p.total),
        });
  const { testSet, classNames } = built.audit;
  return { population, testImages: testSet.inputs, testLabels: testSet.labels as Uint8Array, classNames: [...(classNames ?? [])] };
}

/** Image passes below which local workers do not pay for their start (each loads tfjs, the recipe and MNIST: seconds). */
const LOCAL_WORKERS_WORK = 500_000;

/**
 * Local workers for the demo's population: 2 where the machine has 2 or more cores and the population is
 * big enough for two worker threads to be faster than one thread as measured
 * (the full demo: docs/benchmarks.md, population section),
 * else 1 (a `--quick` population is built before a worker has started).
 * @example
 * defaultPopulationWorkers(demoRecipe()); // 2 on a 2-core machine
 * defaultPopulationWorkers(demoRecipe({ quick: true })); // 1
 */
export function defaultPopulationWorkers(recipe: DemoRecipe): number {
  const trainImages = recipe.trainSubset ?? 55_000;
  const work = recipe.seeds.length * (recipe.epochs * trainImages + recipe.levels.length * recipe.fineTuneEpochs * recipe.fineTuneSubset);
  return work >= LOCAL_WORKERS_WORK ? Math.min(2, availableParallelism()) : 1;
}

/**
 * The bundled demo: MNIST with one digit made rare (a seeded 5% of its training images kept), k MLPs
 * trained with fixed seeds, each pruned to every sparsity level with fine-tuning (buildPopulation),
 * all evaluated on the 10,000 test images and audited. Writes report.json/.md/.html and CSVs to
 * `out` and prints the summary.
 *
 * @example
 * const report = await runDemo({ out: 'pie-audit-demo', progress: createProgress(), print: (t) => process.stdout.write(t) });
 */
export async function runDemo(options: DemoOptions): Promise<AuditReport> {
  const recipe = { ...demoRecipe(options), ...options.recipe };
  const started = Date.now();
  const { progress, print } = options;
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const { population, testImages, testLabels, classNames } = await buildDemoPopulation(recipe, progress, elapsed, options.workers ?? defaultPopulationWorkers(recipe));
  progress.done();
  progress.log(`demo: population built in ${elapsed()}`);
  try {
    const members: Record<string, Array<{ model: tf.LayersModel; id: string; sparsity: number }>> = {};
    for (const [key, models] of Object.entries(population.levels)) {
      members[key] = models.map((model, i) => ({ model, id: `${population.modelNames[key][i]}@${key}`, sparsity: population.measuredSparsity[key][i] }));
    }
    const report = await auditCompression({
      population: members,
      testSet: { inputs: testImages, inputShape: [28, 28, 1], labels: testLabels },
      classNames,
      baseline: 0,
      backend: 'auto',
      runtime: options.runtime ?? 'auto',
      maxExemplars: 12,
      seed: 1,
      onProgress: (e) => {
        // One step per finished model: batches of small MLPs go by too fast to be worth a line each.
        if (e.phase === 'evaluate' && e.batch >= e.batches) progress.update(`evaluating (${elapsed()})`, e.model + 1, e.models);
      },
    });
    progress.done();
    const written = await writeReports(report, options.out);
    print(formatSummary(report));
    print(`long-tail digit ${recipe.longTailDigit}: ${describeDigit(report, recipe.longTailDigit)}\n`);
    print(`demo finished in ${elapsed()}; ${written.length} files in ${options.out}/ (open report.html)\n`);
    return report;
  } finally {
    disposePopulation(population);
  }
}

/** Where the long-tail digit stands at each level (for the printed summary). */
function describeDigit(report: AuditReport, digit: number): string {
  const parts: string[] = [];
  for (const level of report.levels) {
    if (level.classImpact.status !== 'ok') continue;
    const row = level.classImpact.rows[digit];
    const change = row.normalizedRecallChange === null ? 'n/a' : `${(row.normalizedRecallChange * 100).toFixed(1)} pp`;
    parts.push(`${level.key}: ${change}${row.direction === 'hurt' ? ' (significantly hurt)' : row.direction === 'helped' ? ' (significantly helped)' : ''}`);
  }
  return `normalised recall change ${parts.join('; ')}`;
}
