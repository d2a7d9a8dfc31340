import { runAudit } from '../audit/audit-compression.js';
import { modelContentHash } from '../audit/model-content-hash.js';
import { resolvePopulation, sourceNeeds } from '../audit/resolve-population.js';
import type { AuditOptions, PopulationMember } from '../audit/audit-options.js';
import type { AuditReport, BackendEcho, LevelLatency } from '../schema/index.js';
import type { AuditResult } from '../report/audit-result.js';
import { PieAuditError } from '../errors.js';
import type { DeferredProbabilitiesSource, PerModelEvaluation } from '../evaluate/types.js';
import type { ArtifactStore, ProbabilitiesArtifact } from './artifacts.js';
import type { MergeJob } from './jobs.js';
import { recipeAuditOptions } from './recipe-audit-options.js';
import { configReader } from './config-reader.js';
import { concatArrays } from '../data/concat-arrays.js';
import { checkEvaluateResult } from './result-checks.js';

/**
 * What an evaluate job returns: one member's top-1 labels (base64 of little-endian uint16, 2 bytes per
 * example: small enough to travel through Redis), how they were computed and, when the audit keeps class
 * probabilities, the file in the artifact folder that holds them (too big for Redis).
 */
export interface EvaluateResult {
  readonly id: string;
  readonly n: number;
  readonly predictions: string;
  readonly runtime: PerModelEvaluation['runtime'];
  readonly fallbackReason: string | null;
  /** The tfjs backend that ran the model, `null` when none was needed (ONNX files, predictions). */
  readonly backend: BackendEcho | null;
  readonly sparsity: number | null;
  readonly gzippedBytes: number | null;
  /** Stored size of the model (its files, or its weights as stored); absent in results written before it was recorded. */
  readonly storedBytes?: number | null;
  /** Latency measured by this job on its runner (the first job of each level's first member); absent otherwise. */
  readonly latency?: LevelLatency;
  /** The member's probability rows beside this result; absent when the audit keeps none. */
  readonly probabilities?: ProbabilitiesArtifact;
}

function decodeLabels(result: EvaluateResult): Uint16Array {
  const bytes = Buffer.from(result.predictions, 'base64');
  if (bytes.byteLength !== result.n * 2) {
    throw new PieAuditError(
      'CORRUPT_FILE',
      `predictions of job ${result.id} hold ${bytes.byteLength / 2} labels, expected ${result.n}; run the job again.`,
      { job: result.id },
    );
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Uint16Array(copy.buffer);
}

/**
 * The merge: the audit over what the evaluate jobs produced, with the same options as the in-process
 * run, so the report equals it apart from timings and timestamps, and the full PIE table (returned beside the
 * report, as `runAudit` returns it) is the in-process one: pies.csv and pies.arrow come out equal. Each member's runtime and the backend
 * are the ones its job recorded (the evaluation ran there, not here). With `probabilities: true` each member
 * is its probability rows, read from `store` one file at a time, so top-1 labels come from the same argmax
 * over the same floats as in one process, and top-5 accuracy and the taxicab ranking are computed too.
 *
 * @example
 * const { report, pies } = await mergeReport(plan.merge, results, undefined, artifactStore(dir)); // configs read by loadAuditConfig
 * @throws PieAuditError IO_ERROR naming the first job without a result (or its probabilities file), CORRUPT_FILE naming
 *   a job whose probabilities file is not the one its result names, CONFIG_ERROR when a result kept no probabilities
 *   but the audit asks for them.
 */
export async function mergeReport(
  job: MergeJob,
  results: ReadonlyMap<string, EvaluateResult>,
  loadConfig: ((path: string) => AuditOptions) | undefined,
  store: ArtifactStore,
): Promise<AuditResult> {
  const missing = job.members.filter((m) => (m.parts ?? [m.job]).some((id) => !results.has(id)));
  if (missing.length > 0) {
    throw new PieAuditError(
      'IO_ERROR',
      `merge: ${missing.length} of ${job.members.length} evaluate jobs have no result (first: ${missing[0].job}, ${missing[0].memberId}); run every shard first.`,
      { missing: missing.map((m) => m.job) },
    );
  }
  // Each result must be its own job's: a swapped or linked result file is an error, not another member's accuracy.
  for (const m of job.members) for (const id of m.parts ?? [m.job]) checkEvaluateResult(results.get(id), id);
  const base: AuditOptions =
    job.source.kind === 'config' ? configReader(loadConfig)(job.source.config) : await recipeAuditOptions(job.source);
  const population = new Map<string, PopulationMember[]>();
  for (const m of job.members) {
    const r = results.get(m.job)!;
    const parts = (m.parts ?? [m.job]).map((id) => results.get(id)!);
    const list = population.get(m.level) ?? [];
    list.push({
      // Read when the audit reaches the member, one at a time: the merge holds the audit's levels x n x classes sums
      // and one member's rows, as the in-process audit does, never every member's rows at once.
      model: base.probabilities ? deferredProbabilities(parts, m.memberId, store) : { predictions: joinedLabels(parts) },
      id: m.memberId,
      ...(r.sparsity !== null ? { sparsity: r.sparsity } : {}),
      ...(r.gzippedBytes !== null ? { gzippedBytes: r.gzippedBytes } : {}),
      ...(typeof r.storedBytes === 'number' ? { storedBytes: r.storedBytes } : {}),
    });
    population.set(m.level, list);
  }
  const { cache: _cache, onProgress: _onProgress, ...options } = base;
  // A config's `.npy` inputs are opened by reading the config: closed here, as a long-lived worker runs many merges.
  const { report, pies } = await runAudit({ ...options, population }).finally(() => base.testSet.batches?.close());
  const merged = withJobLatencies(withJobRuntimes(report, job, results), base, job, results);
  return { report: job.source.kind === 'config' ? await withContentHashes(merged, base) : merged, pies };
}

/**
 * The levels whose models ran in the jobs carry the latency their first member's job measured on its runner (with
 * that machine named); without one (latency off there, timing failed, a result written before jobs measured it) the
 * level says why. Timing the models here would name the wrong machine. Levels of predictions keep the audit's own.
 */
function withJobLatencies(
  report: AuditReport,
  base: AuditOptions,
  job: MergeJob,
  results: ReadonlyMap<string, EvaluateResult>,
): AuditReport {
  if (report.config.latency?.enabled === false) return report;
  const ran = new Set<string>();
  if (job.source.kind === 'config') {
    for (const m of resolvePopulation(base.population).members) if (sourceNeeds(m.source, m.level).inputs) ran.add(m.level);
  } else for (const m of job.members) ran.add(m.level);
  const firstJob = new Map<string, string>();
  for (const m of job.members) if (!firstJob.has(m.level)) firstJob.set(m.level, m.parts?.[0] ?? m.job);
  const unmeasured = {
    status: 'unavailable' as const,
    reason: 'the models ran in distributed jobs (plan, run-shard, merge) that measured no latency; an audit run in one process measures it',
  };
  return {
    ...report,
    levels: report.levels.map((level) => {
      if (!ran.has(level.key)) return level;
      const measured = results.get(firstJob.get(level.key) ?? '')?.latency;
      return { ...level, latency: measured ? { status: 'ok' as const, ...measured } : unmeasured };
    }),
  };
}

/** Each config member's content hash (its file's sha256), as the audit run directly on the config records it. */
async function withContentHashes(report: AuditReport, base: AuditOptions): Promise<AuditReport> {
  const hashes = new Map<string, Array<string | null>>();
  for (const m of resolvePopulation(base.population).members)
    hashes.set(m.level, [...(hashes.get(m.level) ?? []), await modelContentHash(m.source)]);
  return {
    ...report,
    levels: report.levels.map((level) => ({
      ...level,
      models: level.models.map((model, i) => ({ ...model, contentHash: hashes.get(level.key)?.[i] ?? null })),
    })),
  };
}

const noProbabilities = (result: EvaluateResult, memberId: string) =>
  new PieAuditError(
    'CONFIG_ERROR',
    `merge: evaluate job ${result.id} (${memberId}) kept no class probabilities but the audit asks for them (probabilities: true); ` +
      'its options changed after the plan was written: write the plan again and run its shards.',
    { key: 'probabilities', job: result.id },
  );

/** A member as its probability rows, checked against its result. */
async function readProbabilities(
  result: EvaluateResult,
  memberId: string,
  store: ArtifactStore,
): Promise<{ probabilities: Float32Array; nClasses: number }> {
  const artifact = result.probabilities;
  if (!artifact) throw noProbabilities(result, memberId);
  return { probabilities: await store.readProbabilities(result.id, artifact, result.n), nClasses: artifact.shape[1] };
}

/** Records each member's runtime as its job saw it, and the backend of the first job that ran a tfjs model. */
function withJobRuntimes(report: AuditReport, job: MergeJob, results: ReadonlyMap<string, EvaluateResult>): AuditReport {
  const byLevel = new Map<string, EvaluateResult[]>();
  for (const m of job.members) byLevel.set(m.level, [...(byLevel.get(m.level) ?? []), results.get(m.job)!]);
  const runtimes: Record<string, number> = {};
  let backend: BackendEcho | null = null;
  for (const m of job.members) {
    const r = results.get(m.job)!;
    runtimes[r.runtime] = (runtimes[r.runtime] ?? 0) + 1;
    backend ??= r.backend;
  }
  return {
    ...report,
    environment: { ...report.environment, backend, runtimes },
    levels: report.levels.map((level) => ({
      ...level,
      models: level.models.map((model, i) => {
        const r = byLevel.get(level.key)?.[i];
        return r ? { ...model, runtime: r.runtime, fallbackReason: r.fallbackReason } : model;
      }),
    })),
  };
}

/** A member's top-1 labels over the whole test set: its parts' labels in example order. */
function joinedLabels(parts: readonly EvaluateResult[]): Uint16Array {
  if (parts.length === 1) return decodeLabels(parts[0]);
  return concatArrays(Uint16Array, parts.map(decodeLabels));
}

/**
 * A member as class scores read when the audit reaches it. Whether every part kept its scores is checked now, so a
 * plan whose options changed fails before any member is read.
 */
function deferredProbabilities(parts: readonly EvaluateResult[], memberId: string, store: ArtifactStore): DeferredProbabilitiesSource {
  for (const part of parts) if (!part.probabilities) throw noProbabilities(part, memberId);
  return { loadProbabilities: () => joinedProbabilities(parts, memberId, store) };
}

/** A member's class probabilities over the whole test set, read part by part into one buffer. */
async function joinedProbabilities(
  parts: readonly EvaluateResult[],
  memberId: string,
  store: ArtifactStore,
): Promise<{ probabilities: Float32Array; nClasses: number }> {
  if (parts.length === 1) return readProbabilities(parts[0], memberId, store);
  let all: Float32Array | undefined;
  let nClasses = 0;
  let at = 0;
  const total = parts.reduce((a, p) => a + p.n, 0);
  for (const part of parts) {
    const rows = await readProbabilities(part, memberId, store);
    if (all && rows.nClasses !== nClasses)
      throw new PieAuditError('CORRUPT_FILE', `merge: the parts of ${memberId} disagree on the number of classes; run their jobs again.`, {
        job: part.id,
      });
    nClasses = rows.nClasses;
    all ??= new Float32Array(total * nClasses);
    all.set(rows.probabilities, at);
    at += rows.probabilities.length;
  }
  return { probabilities: all as Float32Array, nClasses };
}
