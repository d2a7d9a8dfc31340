import { populationRecall } from '../analysis/population-recall.js';
import { classBound } from './class-bound.js';
import { getBackendInfo, initBackend } from '../engine/backend.js';
import { PieAuditError } from '../errors.js';
import { evaluatePopulation } from '../evaluate/evaluate-population.js';
import { evaluateGates } from '../gate/evaluate-gates.js';
import { PIE_AUDIT_VERSION } from '../version.js';
import { attachPieTable, buildPieTable } from '../report/pie-table.js';
import type { AuditResult } from '../report/audit-result.js';
import { analyseLevel, toGroupValues, type AuditContext } from './analyse-level.js';
import type { AuditOptions } from './audit-options.js';
import { attachImageThumbnails } from './image-thumbnails.js';
import { measureModel } from './measure-model.js';
import { isLayersModel } from './resolve-population.js';
import { levelLatencies } from './level-latencies.js';
import { labelsHash } from './labels-hash.js';
import { machineEcho } from './machine-echo.js';
import { modelContentHash } from './model-content-hash.js';
import { reportedPath } from './reported-path.js';
import { REPORT_SCHEMA_VERSION, type AuditReport, type BackendEcho, type LevelReport, type ModelSummary } from '../schema/index.js';
import type { PopulationPredictions } from '../evaluate/types.js';
import { baselineShares, toCi } from './level-intervals.js';
import { bootstrapTop1Intervals } from '../analysis/bootstrap-top1-intervals.js';
import { LevelProbabilitySink, type LevelProbabilities } from './level-probabilities.js';
import { powerWarnings } from './power-warnings.js';
import { testFamilyWarnings } from './test-family-warnings.js';
import { sanityWarnings } from './sanity-warnings.js';
import { memberFile } from './population-design.js';
import type { NormalizedAudit } from './validate-audit-options.js';
import { prepareAudit, type PreparedAudit } from './prepare-audit.js';

/**
 * The backend in use as the report records it (`environment.backend`), `null` before any backend started.
 * @example
 * backendEcho()?.name; // 'wasm'
 */
export function backendEcho(): BackendEcho | null {
  const info = getBackendInfo();
  if (!info) return null;
  const details: BackendEcho['details'] = { requested: info.requested, tfjsVersion: info.tfjsVersion, gpu: info.gpu };
  if (info.fallbackReason) details.fallbackReason = info.fallbackReason;
  for (const [pkg, version] of Object.entries(info.packages)) details[pkg] = version;
  return { name: info.name, details };
}

/**
 * Audits a compressed model population against its baseline (Hooker et al., "What Do Compressed
 * Deep Neural Networks Forget?"): evaluates every model once, then per level reports top-1
 * accuracy, Pruning Identified Exemplars (examples whose modal label over the level's models
 * differs from the baseline's), the baseline's accuracy on PIEs vs the rest, per-class Welch tests
 * of recall normalised by mean top-1, attribute over-indexing among PIEs, subgroup FPR/FNR
 * (binary tasks), PIE exemplars, and release gates.
 *
 * Members may be tfjs models, paths (model.json, .onnx, .tflite, predictions files), functions, or
 * precomputed `{ predictions }` / `{ probabilities, nClasses }`: a population given as predictions
 * needs no inputs and no tfjs backend. Without labels only PIE sections are computed; accuracy
 * sections say `unavailable` with the reason. With one model per level, class tests are
 * `inconclusive` (never a made-up p-value). Every option is validated before any model runs:
 * errors are {@link PieAuditError}s (`CONFIG_ERROR` naming the key, `LENGTH_MISMATCH`, ...).
 *
 * The result is plain JSON (see docs/report-schema.md): render it with `renderMarkdown`,
 * `renderHtml` or `writeReports`, and gate releases on `report.verdict` / `report.exitCode`.
 *
 * @example
 * const report = await auditCompression({
 *   population: { 0: baselines, 0.9: pruned },             // arrays of models or { predictions }
 *   testSet: { inputs, inputShape: [28, 28, 1], labels },
 *   classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
 *   gates: { maxPieRate: { 0.9: 0.05 } },
 * });
 * console.log(report.levels[1].pies, report.verdict);
 */
export async function auditCompression(options: AuditOptions): Promise<AuditReport> {
  const { report, pies } = await runAudit(options);
  // Kept for `writeReports(report, dir)` callers; the distributed paths use runAudit's table instead.
  attachPieTable(report, pies);
  return report;
}

/**
 * The audit of {@link auditCompression}, returning what every writer needs in plain sight: the report and
 * the full PIE table (every PIE of every compressed level, for pies.csv, pies.arrow and the HTML PIE browser).
 * `merge`, the queue and the CLI use it, so a distributed run writes the same report set as one process.
 *
 * @example
 * const result = await runAudit(options);
 * result.pies.rows.length; // every PIE, not only the report's exemplars
 * await writeReports(result, 'audit-out');
 */
export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const started = performance.now();
  const prepared = await prepareAudit(options);
  try {
    return await audit(prepared, options, started);
  } finally {
    // Image batches are opened here (user-given batches are the caller's to close).
    await prepared.config.images?.close();
  }
}

async function audit(prepared: PreparedAudit, options: AuditOptions, started: number): Promise<AuditResult> {
  const { config, runsModels } = prepared;
  const { evaluation, probabilities } = await evaluateMembers(prepared, options);
  const evaluated = performance.now();
  const nClasses = resolveClassCount(config, evaluation.nClasses);
  const classNames = config.classNames ?? Array.from({ length: nClasses }, (_, c) => String(c));
  const summaries = await summariseModels(config, evaluation);
  const predictionsOf = (k: number) => evaluation.predictions.subarray(k * config.n, (k + 1) * config.n);
  const levelPredictions = (key: string) => {
    const range = config.population.ranges.get(key)!;
    return Array.from({ length: range.end - range.start }, (_, j) => predictionsOf(range.start + j));
  };
  const levelProbabilities = (key: string): LevelProbabilities | null => probabilities?.level(key) ?? null;
  const ctx = auditContext(config, nClasses, levelPredictions(config.baseline), levelProbabilities(config.baseline));
  // Timed after evaluation, so no model competes with another for the cores.
  const timingStarted = performance.now();
  const latencies = await levelLatencies(prepared, options);
  const latencySeconds = round3((performance.now() - timingStarted) / 1000);
  const levels: LevelReport[] = config.levels.map((key, index) => {
    options.onProgress?.({ phase: 'analyse', level: key, index, levels: config.levels.length });
    const range = config.population.ranges.get(key)!;
    const level = analyseLevel(
      ctx,
      key,
      { predictions: levelPredictions(key), probabilities: levelProbabilities(key) },
      summaries.slice(range.start, range.end),
      classNames,
    );
    const latency = latencies.get(key);
    return latency ? { ...level, latency } : level;
  });
  if (config.images && config.thumbnails) await attachImageThumbnails(levels, config.images);
  const runtimes: Record<string, number> = {};
  for (const p of evaluation.perModel) runtimes[p.runtime] = (runtimes[p.runtime] ?? 0) + 1;
  const report = assembleReport(config, ctx, levels, classNames, { runtimes, backend: runsModels ? backendEcho() : null });
  report.sanityWarnings = await sanityWarnings({
    levels,
    baseline: config.baseline,
    members: config.population.members,
    memberIds: summaries.map((s) => s.id),
    predictions: config.population.members.map((_, k) => predictionsOf(k)),
    nClasses,
    tieBreak: config.tieBreak,
  });
  // Every PIE for pies.csv and the HTML PIE browser, beside (not in) report.json.
  const compressed = config.levels.filter((key) => key !== config.baseline).map((key) => ({ key, predictions: levelPredictions(key) }));
  const pieInput = { baseline: ctx.baselinePredictions, levels: compressed, labels: config.labels, attributes: config.attributes };
  const pies = buildPieTable({ ...pieInput, tieBreak: config.tieBreak, nClasses });
  if (config.gates) {
    report.gates = evaluateGates(report, config.gates);
    report.verdict = report.gates.verdict;
    report.exitCode = report.gates.exitCode;
  }
  const finished = performance.now();
  report.timings = {
    evaluationSeconds: round3((evaluated - started) / 1000),
    analysisSeconds: round3((finished - evaluated) / 1000),
    totalSeconds: round3((finished - started) / 1000),
    latencySeconds,
  };
  return { report, pies };
}

/** Runs (or reads) every member's predictions once, starting a tfjs backend only when a model must run. */
async function evaluateMembers(
  prepared: PreparedAudit,
  options: AuditOptions,
): Promise<{ evaluation: PopulationPredictions; probabilities: LevelProbabilitySink | null }> {
  const { config, members, runsModels } = prepared;
  const firstNeedingInputs = members.findIndex((m) => m.needsInputs);
  if (firstNeedingInputs >= 0 && !config.inputs && !config.batches) {
    const m = members[firstNeedingInputs];
    throw new PieAuditError(
      'CONFIG_ERROR',
      `testSet.inputs: population['${m.level}'][${m.index}] is a model that must run, so the test inputs are required (or give every ` +
        `member as { predictions }).`,
      { key: 'testSet.inputs' },
    );
  }
  if (runsModels) await initBackend({ backend: options.backend ?? 'auto' });
  const onProgress = options.onProgress;
  // Each model's rows are folded into its level's mean and top-k as it finishes, never kept all at once.
  const probabilities = config.probabilities ? new LevelProbabilitySink(members, config.n, config.labels) : null;
  const evaluation = await evaluatePopulation(
    members.map((m) => m.source),
    { inputs: config.inputs, batches: config.batches, inputShape: config.inputShape, n: config.n, labels: config.labels ?? undefined },
    {
      batchSize: options.batchSize,
      maxClasses: classBound(config),
      ...(probabilities ? { onScores: (m: number, rows: Float32Array, nClasses: number) => probabilities.add(m, rows, nClasses) } : {}),
      runtime: options.runtime,
      cache: options.cache,
      onProgress: onProgress ? (e) => onProgress({ phase: 'evaluate', ...e }) : undefined,
    },
  );
  return { evaluation, probabilities };
}

/** The class count: the widest of the models, the labels and classNames (at least 2), checked against the options. */
function resolveClassCount(config: NormalizedAudit, predicted: number): number {
  let nClasses = Math.max(predicted, config.classNames?.length ?? 0);
  if (config.labels) for (let i = 0; i < config.n; i++) nClasses = Math.max(nClasses, config.labels[i] + 1);
  if (config.classNames && nClasses > config.classNames.length) {
    throw new PieAuditError(
      'LABEL_OUT_OF_RANGE',
      `classNames names ${config.classNames.length} classes but the models predict ${nClasses}; list every class.`,
      { key: 'classNames' },
    );
  }
  nClasses = Math.max(nClasses, 2);
  if (config.positiveClass !== null && config.positiveClass >= nClasses) {
    throw new PieAuditError(
      'CONFIG_ERROR',
      `positiveClass: ${config.positiveClass} is not a class index (there are ${nClasses} classes).`,
      { key: 'positiveClass' },
    );
  }
  return nClasses;
}

/** One ModelSummary per member, measuring sparsity and size where they were not given. */
function summariseModels(config: NormalizedAudit, evaluation: PopulationPredictions): Promise<ModelSummary[]> {
  return Promise.all(
    config.population.members.map(async (m, k) => {
      const measured = m.sparsity === null || m.gzippedBytes === null || m.storedBytes === null ? await measureModel(m.source) : null;
      const per = evaluation.perModel[k];
      return {
        index: m.index,
        // Named as plan.ts names a member for the merge (its file), so a distributed run reports the same ids;
        // a file is stored without the folders of this machine.
        id: m.id ?? reportedFile(memberFile(m.source)) ?? `${m.level}#${m.index}`,
        top1: null,
        sparsity: m.sparsity ?? measured?.sparsity ?? null,
        gzippedBytes: m.gzippedBytes ?? measured?.gzippedBytes ?? null,
        storedWeightBytes: m.storedWeightBytes,
        // A quantized model in memory is stored in its own format, not as the float32 weights it computes with.
        storedBytes: m.storedBytes ?? (isLayersModel(m.source) ? m.storedWeightBytes : null) ?? measured?.storedBytes ?? null,
        ...(m.latencyMs ? { latencyMs: m.latencyMs } : {}),
        contentHash: await modelContentHash(m.source),
        runtime: per.runtime,
        fallbackReason: per.fallbackReason ?? null,
      };
    }),
  );
}

/** What every level's analysis shares: the baseline's predictions, recall and per-example aggregates. */
function auditContext(
  config: NormalizedAudit,
  nClasses: number,
  baselinePredictions: Uint16Array[],
  baselineProbabilities: LevelProbabilities | null,
): AuditContext {
  const attributes = config.attributes.map((a) => ({ name: a.name, values: toGroupValues(a.values) }));
  const positive = config.positiveClass ?? (nClasses === 2 ? 1 : null);
  const shares = baselineShares(
    config.labels,
    baselinePredictions,
    attributes.length > 0 && config.labels ? positive : null,
    config.bootstrap,
  );
  const top1 = shares.correct ? bootstrapTop1Intervals(shares.correct, shares.correct, config.bootstrap).baseline : undefined;
  return {
    config,
    nClasses,
    baselinePredictions,
    baselineRecall: config.labels ? populationRecall(config.labels, baselinePredictions, nClasses) : null,
    attributes,
    baselineShares: shares,
    baselineTop1Ci: toCi(top1),
    baselineProbabilities,
  };
}

/** The report without gates and timings. */
function assembleReport(
  config: NormalizedAudit,
  ctx: AuditContext,
  levels: LevelReport[],
  classNames: string[],
  env: Pick<AuditReport['environment'], 'runtimes' | 'backend'>,
): AuditReport {
  const warnings = [...powerWarnings(levels, config.baseline), ...testFamilyWarnings(levels, config.alpha)];
  ctx.baselineRecall?.support.forEach((s, c) => {
    if (s === 0)
      warnings.push(
        `class ${classNames[c]} has no examples in the test set; its recall and test are not available (waive it to gate the other ` +
          `classes)`,
      );
  });
  const labelCounts = config.labels ? Array.from({ length: ctx.nClasses }, () => 0) : null;
  if (labelCounts && config.labels) for (let i = 0; i < config.n; i++) labelCounts[config.labels[i]]++;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    environment: {
      pieAuditVersion: PIE_AUDIT_VERSION,
      nodeVersion: process.version,
      platform: process.platform,
      arch: process.arch,
      ...env,
      machine: machineEcho(),
    },
    config: {
      alpha: config.alpha,
      correction: config.correction,
      attributeCorrection: config.attributeCorrection,
      tieBreak: config.tieBreak,
      baseline: config.baseline,
      levels: config.levels,
      // The class subgroup rates used as positive (1 by default for two-class tasks).
      positiveClass:
        levels.map((l) => (l.subgroups.status === 'ok' ? l.subgroups.positiveClass : null)).find((p) => p !== null) ?? config.positiveClass,
      seed: config.seed,
      maxExemplars: config.maxExemplars,
      gates: config.gates,
      bootstrap: config.bootstrap,
      noiseFloor: config.noiseFloor,
      probabilities: config.probabilities,
      latency: config.latency,
    },
    testSet: {
      n: config.n,
      inputShape: config.inputShape ?? null,
      hasLabels: config.labels !== null,
      labelCounts,
      attributeNames: config.attributes.map((a) => a.name),
      labelsHash: config.labels ? labelsHash(config.labels, config.n) : null,
      ...(config.preprocess ? { preprocess: config.preprocess } : {}),
    },
    classNames,
    baselineLevel: config.baseline,
    levels,
    gates: null,
    verdict: 'ungated',
    exitCode: 0,
    warnings,
    design: config.design,
    timings: { evaluationSeconds: 0, analysisSeconds: 0, totalSeconds: 0 },
  };
}

const round3 = (s: number) => Math.round(s * 1000) / 1000;

/** A member's file as the report stores it (see {@link reportedPath}); `null` for members in memory. */
function reportedFile(file: string | null): string | null {
  return file === null ? null : reportedPath(file);
}
