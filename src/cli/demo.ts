import { availableParallelism } from 'node:os';
import { auditCompression } from '../audit/audit-compression.js';
import { populationMembers } from '../audit/population-members.js';
import type { AuditReport } from '../schema/index.js';
import { buildPopulationLocally } from '../distribute/build-population-locally.js';
import { createRecipe, demoRecipe, type DemoRecipe } from '../distribute/demo-recipe.js';
import { distributeModule } from '../distribute/module-paths.js';
import { buildPopulation, type PopulationProgress } from '../population/build-population.js';
import { disposePopulation, type Population } from '../population/population.js';
import { writeReports } from '../report/write-reports.js';
import type { Progress } from './progress.js';
import { formatAttributeSummary } from './attribute-summary.js';
import { noiseFloorBlock, taxicabLines } from './noise-floor-lines.js';
import { formatSummary } from './summary.js';

export { demoRecipe, type DemoRecipe } from '../distribute/demo-recipe.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Folder for the reports (created). */
  out: string;
  /** Models per level (default 6; 2 with `quick`). */
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
  /** The test images' shape groups (stroke, slant, width, height), as the recipe audits them. */
  attributes: Record<string, ArrayLike<string>>;
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
export async function buildDemoPopulation(
  recipe: DemoRecipe,
  progress: Progress,
  elapsed: () => string = () => '',
  workers = 1,
): Promise<DemoPopulation> {
  const built = await createRecipe(recipe);
  progress.log(`demo: ${built.describe ?? ''}${workers > 1 ? ` (${workers} worker threads)` : ''}`);
  const population =
    workers > 1
      ? await buildPopulationLocally({ module: distributeModule('demo-recipe'), params: recipe }, workers, (phase, done, total) =>
          progress.update(
            'building population',
            done,
            total,
            `${phase === 'train' ? 'training' : 'pruning and fine-tuning'}, ${elapsed()}`,
          ),
        )
      : await buildPopulation({
          createModel: built.createModel,
          train: built.train,
          levels: built.levels,
          seeds: built.seeds,
          regime: recipe.regime ?? 'fineTune',
          randomControl: recipe.randomControl ?? false,
          fineTune: built.fineTune,
          ...(built.fromScratch ? { fromScratch: built.fromScratch } : {}),
          onProgress: (p) => progress.update('building population', p.completed, p.total, `${describeStep(p)}, ${elapsed()}`),
        });
  const { testSet, classNames } = built.audit;
  const attributes = (testSet.attributes ?? {}) as Record<string, ArrayLike<string>>;
  return {
    population,
    testImages: testSet.inputs,
    testLabels: testSet.labels as Uint8Array,
    classNames: [...(classNames ?? [])],
    attributes,
  };
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
  const levels = recipe.levels.length + (recipe.randomControl ? recipe.levels.filter((l) => l > 0).length : 0);
  const perSeed =
    (recipe.regime ?? 'fineTune') === 'fromScratch'
      ? levels * recipe.epochs * trainImages
      : recipe.epochs * trainImages + levels * recipe.fineTuneEpochs * recipe.fineTuneSubset;
  const work = recipe.seeds.length * perSeed;
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
  const { population, testImages, testLabels, classNames, attributes } = await buildDemoPopulation(
    recipe,
    progress,
    elapsed,
    options.workers ?? defaultPopulationWorkers(recipe),
  );
  progress.done();
  progress.log(`demo: population built in ${elapsed()}`);
  try {
    // Models keep their seed name (seed-3) at every level, so the noise floor pairs compressed model i with baseline model i.
    const report = await auditCompression({
      population: populationMembers(population),
      testSet: { inputs: testImages, inputShape: [28, 28, 1], labels: testLabels, attributes },
      classNames,
      baseline: 0,
      backend: 'auto',
      runtime: options.runtime ?? 'auto',
      maxExemplars: 12,
      seed: 1,
      probabilities: recipe.probabilities ?? true,
      onProgress: (e) => {
        // One step per finished model: batches of small MLPs go by too fast to be worth a line each.
        if (e.phase === 'evaluate' && e.batch >= e.batches)
          progress.update('evaluating models', e.model + 1, e.models, `model ${e.model + 1}/${e.models}, ${elapsed()}`);
      },
    });
    progress.done();
    const written = await writeReports(report, options.out);
    print(formatSummary(report));
    print(noiseFloorBlock(report));
    print(
      `taxicab ranking:\n${taxicabLines(report)
        .map((l) => `  ${l}\n`)
        .join('')}`,
    );
    print(`long-tail digit ${recipe.longTailDigit}: ${describeDigit(report, recipe.longTailDigit)}\n`);
    print(formatAttributeSummary(report));
    print(`demo finished in ${elapsed()}; ${written.length} files in ${options.out}/ (open report.html)\n`);
    return report;
  } finally {
    disposePopulation(population);
  }
}

/** What a finished population step did; level 0 is fine-tuned like the others but not pruned. */
function describeStep(p: PopulationProgress): string {
  if (p.phase === 'train') return `seed ${p.seed} trained`;
  const level = p.level ?? 0;
  return level === 0
    ? `seed ${p.seed} fine-tuned unpruned (level 0)`
    : `seed ${p.seed} pruned to ${Math.round(level * 1000) / 10}% and fine-tuned`;
}

/** Where the long-tail digit stands at each level (for the printed summary). */
function describeDigit(report: AuditReport, digit: number): string {
  const parts: string[] = [];
  for (const level of report.levels) {
    if (level.classImpact.status !== 'ok') continue;
    const row = level.classImpact.rows[digit];
    const change = row.normalizedRecallChange === null ? 'n/a' : `${(row.normalizedRecallChange * 100).toFixed(1)} pp`;
    parts.push(
      `${level.key}: ${change}${row.direction === 'hurt' ? ' (significantly hurt)' : row.direction === 'spared' ? ' (significantly spared: lost less than the model overall)' : ''}`,
    );
  }
  return `normalised recall change ${parts.join('; ')}`;
}
