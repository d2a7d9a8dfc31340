import type * as tf from '@tensorflow/tfjs';
import { backendEcho } from '../audit/audit-compression.js';
import type { AuditOptions } from '../audit/audit-options.js';
import type { BackendEcho } from '../schema/index.js';
import { sourceNeeds } from '../audit/resolve-population.js';
import { compressionStats } from '../compress/compression-stats.js';
import { initBackend } from '../engine/backend.js';
import { loadLayersModelFromFile } from '../engine/load-layers-model-from-file.js';
import { saveLayersModel } from '../engine/save-layers-model.js';
import { PieAuditError } from '../errors.js';
import { evaluatePopulation } from '../evaluate/evaluate-population.js';
import type { InputBatches } from '../evaluate/input-batches.js';
import { inputBatchesRange } from '../evaluate/input-batches-range.js';
import type { ModelSource } from '../evaluate/types.js';
import { measureModel } from '../audit/measure-model.js';
import { prepareAudit, type PreparedMember } from '../audit/prepare-audit.js';
import { configReader } from './config-reader.js';
import { fineTuneLevel, fineTuneSteps, trainScratchMember } from '../population/population-jobs.js';
import type { ArtifactStore } from './artifacts.js';
import type { EvaluateJob, FineTuneJob, Job, ScratchJob, TrainJob } from './jobs.js';
import { loadRecipe } from './recipe.js';
import { mergeReport, type EvaluateResult } from './merge.js';
import { recipeAuditOptions } from './recipe-audit-options.js';
import { jobLatency } from './job-latency.js';
import type { AuditResult } from '../report/audit-result.js';

/** What a job runner needs besides the job: the artifact folder and, optionally, another config reader. */
export interface JobContext {
  readonly store: ArtifactStore;
  /** Reads an audit config file into audit options; default `loadAuditConfig` (what `pie-audit audit` reads). */
  readonly loadConfig?: (path: string) => AuditOptions;
}

/** The facts a fineTune or scratch job records beside its model. */
export interface FineTuneFacts {
  readonly sparsity: number;
  readonly loss: number | null;
}

/**
 * Runs one job and returns its result: `{}` for train jobs, the facts of a fineTune or scratch job, an
 * {@link EvaluateResult} (small: labels as base64 uint16; class probabilities, when kept, go to a file beside it)
 * for evaluate jobs, the {@link AuditResult} (report and full PIE table, plain JSON) for the merge.
 * A job whose artifact exists returns it without running again (idempotent); artifacts are written
 * atomically, so a runner killed mid-job leaves nothing a second run would trust.
 *
 * @example
 * const result = await runJob(job, { store: artifactStore('artifacts') });
 * @throws PieAuditError IO_ERROR when an input artifact is missing (its job has not run).
 */
export async function runJob(job: Job, ctx: JobContext, outputs?: ReadonlyMap<string, EvaluateResult>): Promise<unknown> {
  switch (job.kind) {
    case 'train':
      return runTrain(job, ctx.store);
    case 'fineTune':
    case 'scratch':
      // A model job is done once its model and, written last, its facts exist.
      if (ctx.store.hasModel(job.id) && ctx.store.hasResult(job.id)) return ctx.store.readResult<FineTuneFacts>(job.id);
      return job.kind === 'fineTune' ? runFineTune(job, ctx.store) : runScratch(job, ctx.store);
    case 'evaluate':
      return runEvaluate(job, ctx);
    case 'merge': {
      const results =
        outputs ?? new Map(await Promise.all(job.needs.map(async (id) => [id, await ctx.store.readResult<EvaluateResult>(id)] as const)));
      const result: AuditResult = await mergeReport(job, results, ctx.loadConfig, ctx.store);
      return result;
    }
    default:
      // A plan.json from elsewhere (or a newer version) may name a kind this version cannot run.
      throw new PieAuditError(
        'CONFIG_ERROR',
        `job '${String((job as { id?: unknown }).id)}' has unknown kind ${JSON.stringify((job as { kind?: unknown }).kind)}; write the plan again with this version's 'pie-audit plan'.`,
        {},
      );
  }
}

async function runTrain(job: TrainJob, store: ArtifactStore): Promise<Record<string, never>> {
  if (store.hasModel(job.id)) return {};
  const recipe = await loadRecipe(job.source.recipe);
  const model = recipe.createModel(job.seed);
  try {
    await recipe.train(model, job.seed);
    await store.writeModel(job.id, async (tmp) => void (await saveLayersModel(model, tmp)));
  } finally {
    model.dispose();
  }
  return {};
}

async function runFineTune(job: FineTuneJob, store: ArtifactStore): Promise<FineTuneFacts> {
  const recipe = await loadRecipe(job.source.recipe);
  const [trainId] = job.needs;
  if (!store.hasModel(trainId))
    throw new PieAuditError(
      'IO_ERROR',
      `fineTune seed ${job.seed} level ${job.level}: its baseline '${store.modelDir(trainId)}' is missing; run train job ${trainId} first.`,
      { job: job.id },
    );
  const baseline = await loadLayersModelFromFile(store.modelToLoad(trainId));
  let tuned: tf.LayersModel | undefined;
  try {
    const data = recipe.fineTune.data as { x: Float32Array; shape: readonly number[]; y: ArrayLike<number> };
    const random = job.randomMaskSeed !== undefined;
    const steps = fineTuneSteps(data, recipe.fineTune);
    const result = await fineTuneLevel(
      baseline,
      recipe.fineTune,
      data,
      job.level,
      job.seed,
      steps,
      random ? 'random' : 'magnitude',
      job.randomMaskSeed,
    );
    tuned = result.model;
    return await saveModelAndFacts(store, job.id, result.model, result.sparsity, result.loss);
  } finally {
    baseline.dispose();
    tuned?.dispose();
  }
}

async function runScratch(job: ScratchJob, store: ArtifactStore): Promise<FineTuneFacts> {
  const recipe = await loadRecipe(job.source.recipe);
  if (!recipe.fromScratch)
    throw new PieAuditError('CONFIG_ERROR', `scratch job ${job.id}: recipe '${job.source.recipe.module}' gives no fromScratch training.`, {
      job: job.id,
    });
  const data = recipe.fromScratch.data as { x: Float32Array; shape: readonly number[]; y: ArrayLike<number> };
  const level = { key: job.levelKey, sparsity: job.level, maskSelection: job.maskSelection };
  const { model, loss } = await trainScratchMember(recipe.createModel, recipe.fromScratch, data, level, job.initSeed);
  try {
    return await saveModelAndFacts(store, job.id, model, compressionStats(model).prunableSparsity, loss);
  } finally {
    model.dispose();
  }
}

/** Writes a model job's artifact: the model folder, then its facts (a model folder without them is redone). */
async function saveModelAndFacts(
  store: ArtifactStore,
  id: string,
  model: tf.LayersModel,
  sparsity: number,
  loss: number | undefined,
): Promise<FineTuneFacts> {
  const facts: FineTuneFacts = { sparsity, loss: loss ?? null };
  await store.writeModel(id, async (tmp) => void (await saveLayersModel(model, tmp)));
  await store.writeResult(id, facts);
  return facts;
}

interface SourceAudit {
  readonly options: AuditOptions;
  readonly inputs: Float32Array | undefined;
  /** A config's `.npy` inputs, read by ranges (kept open for the process's later jobs). */
  readonly batches: InputBatches | undefined;
  readonly inputShape: readonly number[] | undefined;
  readonly labels: ArrayLike<number> | undefined;
  readonly n: number;
  /** A config's members as the audit classified them (`prepareAudit`); null for a recipe (its models are jobs). */
  readonly members: readonly PreparedMember[] | null;
  /** Releases what reading the source opened (an image test set's decode thread and temporary pixels). */
  readonly close: () => Promise<void>;
}

const testSets = new Map<string, Promise<SourceAudit>>();

/** The audit options and test set of a job's source, read once per process; a config's through `prepareAudit`, as the audit reads it. */
function sourceOptions(job: EvaluateJob, ctx: JobContext): Promise<SourceAudit> {
  const key = JSON.stringify(job.source);
  let entry = testSets.get(key);
  if (!entry) {
    entry = (async () => {
      if (job.source.kind === 'config') {
        const options = configReader(ctx.loadConfig)(job.source.config);
        // The test set as the audit reads it: a `.npy` read by ranges, an image folder decoded batch by batch.
        const { config, members, n } = await prepareAudit(options);
        return {
          options,
          inputs: config.inputs,
          batches: config.batches,
          inputShape: config.inputShape,
          labels: config.labels ?? undefined,
          n,
          members,
          close: async () => {
            await config.images?.close();
            await options.testSet.batches?.close();
          },
        };
      }
      const options = await recipeAuditOptions(job.source);
      const ts = options.testSet;
      const n = ts.n ?? ts.labels?.length ?? (ts.inputs && ts.inputShape ? ts.inputs.length / ts.inputShape.reduce((a, b) => a * b, 1) : 0);
      return {
        options,
        inputs: ts.inputs,
        batches: ts.batches,
        inputShape: ts.inputShape,
        labels: ts.labels,
        n,
        members: null,
        close: async () => {},
      };
    })();
    testSets.set(key, entry);
  }
  return entry;
}

/**
 * Closes the test sets this process read for its jobs (image decode threads, temporary pixel files, `.npy` handles):
 * call it when the process has run its last job, so that none keeps it alive or leaves files behind.
 *
 * @example
 * try { await runJob(job, ctx); } finally { await closeJobSources(); }
 */
export async function closeJobSources(): Promise<void> {
  const open = [...testSets.values()];
  testSets.clear();
  for (const entry of open) await (await entry.catch(() => null))?.close();
}

/** The config member an evaluate job names, checked against the file the plan hashed. */
function configMember(job: EvaluateJob, members: readonly PreparedMember[], file: string): ModelSource {
  const member = members.find((m) => m.level === job.level && m.index === job.index);
  if (!member || member.file !== file)
    throw new PieAuditError(
      'CONFIG_ERROR',
      `evaluate ${job.level}#${job.index}: the config no longer lists '${file}' there; write the plan again.`,
      { job: job.id },
    );
  return member.source;
}

async function runEvaluate(job: EvaluateJob, ctx: JobContext): Promise<EvaluateResult> {
  if (ctx.store.hasResult(job.id)) return ctx.store.readResult<EvaluateResult>(job.id);
  const { options, inputs, batches, inputShape, labels, members, n: sourceN } = await sourceOptions(job, ctx);
  let n = sourceN;
  let source: ModelSource;
  let loaded: tf.LayersModel | undefined;
  let facts: { sparsity: number | null; gzippedBytes: number | null; storedBytes: number | null } | undefined;
  if ('file' in job.model) {
    if (!members)
      throw new PieAuditError(
        'CONFIG_ERROR',
        `evaluate ${job.level}#${job.index} names a file but its plan is a recipe's; write the plan again.`,
        {
          job: job.id,
        },
      );
    source = configMember(job, members, job.model.file);
  } else {
    const id = job.model.job;
    if (!ctx.store.hasModel(id))
      throw new PieAuditError(
        'IO_ERROR',
        `evaluate ${job.level}#${job.index}: model '${ctx.store.modelDir(id)}' is missing; run job ${id} first.`,
        { job: job.id },
      );
    loaded = await loadLayersModelFromFile(ctx.store.modelToLoad(id));
    const tuned = await ctx.store.readResult<FineTuneFacts>(id);
    const stats = compressionStats(loaded);
    facts = { sparsity: tuned.sparsity, gzippedBytes: stats.gzipBytes, storedBytes: stats.rawBytes };
    source = loaded;
  }
  try {
    const needs = sourceNeeds(source, `population['${job.level}'][${job.index}]`);
    if (needs.backend) await initBackend({ backend: options.backend ?? 'auto' });
    const keepProbabilities = options.probabilities === true;
    const part = job.range ? testSetRange(job, inputs ?? batches, inputShape, labels, n) : undefined;
    if (part) n = part.n;
    const evaluation = await evaluatePopulation(
      [source],
      part ? { ...part.inputs, inputShape, n, labels: part.labels } : { inputs, batches, inputShape, n, labels },
      {
        ...(keepProbabilities ? { returnProbabilities: true } : {}),
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        ...(options.runtime ? { runtime: options.runtime } : {}),
        ...(options.cache ? { cache: options.cache } : {}),
      },
    );
    facts ??= await measureModel(source);
    // Timed on this runner before a loaded model is disposed: the merge runs elsewhere and cannot time it.
    const latency = await jobLatency(job, source, options, { inputs, batches, n: sourceN, inputShape });
    const per = evaluation.perModel[0];
    const predicted = evaluation.predictions;
    // The rows go to a file before the result: a result's presence (a done job) implies its probabilities exist.
    const rows = keepProbabilities ? evaluation.probabilities : undefined;
    if (keepProbabilities && !rows)
      throw new PieAuditError('INVALID_ARGUMENT', `evaluate ${job.level}#${job.index} gave no class probabilities to keep.`, {
        job: job.id,
      });
    const probabilities = rows ? await ctx.store.writeProbabilities(job.id, rows, evaluation.nClasses) : undefined;
    const result: EvaluateResult = {
      id: job.id,
      n,
      predictions: Buffer.from(predicted.buffer, predicted.byteOffset, predicted.byteLength).toString('base64'),
      runtime: per.runtime,
      fallbackReason: per.fallbackReason ?? null,
      backend: needs.backend ? (backendEcho() as BackendEcho | null) : null,
      sparsity: facts.sparsity,
      gzippedBytes: facts.gzippedBytes,
      storedBytes: facts.storedBytes,
      ...(latency ? { latency } : {}),
      ...(probabilities ? { probabilities } : {}),
    };
    await ctx.store.writeResult(job.id, result);
    return result;
  } finally {
    loaded?.dispose();
  }
}

/**
 * The examples [start, end) of the test set an evaluate job with a range runs on: a view of in-memory inputs, or the
 * range of batches (an image folder, a `.npy` file) read through them, so a job holds one batch at a time.
 */
function testSetRange(
  job: EvaluateJob,
  inputs: Float32Array | InputBatches | undefined,
  inputShape: readonly number[] | undefined,
  labels: ArrayLike<number> | undefined,
  n: number,
): { inputs: { inputs: Float32Array } | { batches: InputBatches }; labels: ArrayLike<number> | undefined; n: number } {
  const [start, end] = job.range as readonly [number, number];
  if (!inputs || !inputShape || !(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= n))
    throw new PieAuditError(
      'CONFIG_ERROR',
      `evaluate ${job.level}#${job.index}: examples ${start}-${end} are not a range of the ${n} test inputs; write the plan again.`,
      { job: job.id },
    );
  const size = inputShape.reduce((a, b) => a * b, 1);
  const slice =
    labels === undefined
      ? undefined
      : ArrayBuffer.isView(labels)
        ? (labels as unknown as Int32Array).subarray(start, end)
        : Array.from(labels).slice(start, end);
  const rows =
    inputs instanceof Float32Array
      ? { inputs: inputs.subarray(start * size, end * size) }
      : { batches: inputBatchesRange(inputs, start, end) };
  return { inputs: rows, labels: slice, n: end - start };
}
