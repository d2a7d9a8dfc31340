import { populationRecall } from '../analysis/population-recall.js';
import { getBackendInfo, initBackend } from '../engine/backend.js';
import { PieAuditError } from '../errors.js';
import { evaluatePopulation } from '../evaluate/evaluate-population.js';
import type { ModelSource } from '../evaluate/types.js';
import { evaluateGates } from '../gate/evaluate-gates.js';
import { PIE_AUDIT_VERSION } from '../version.js';
import { analyseLevel, toGroupValues, type AuditContext } from './analyse-level.js';
import type { AuditOptions } from './audit-options.js';
import { measureModel } from './measure-model.js';
import { REPORT_SCHEMA_VERSION, type AuditReport, type BackendEcho, type LevelReport, type ModelSummary } from './report-types.js';
import { sourceNeeds } from './resolve-population.js';
import { validateAuditOptions } from './validate-audit-options.js';

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
 * Members may be tfjs models, paths (model.json, .onnx, predictions files), functions, or
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
  const started = performance.now();
  const config = validateAuditOptions(options);
  const members = config.population.members;
  const sources: ModelSource[] = members.map((m) => m.source);

  const needs = members.map((m) => sourceNeeds(m.source, `population['${m.level}'][${m.index}]`));
  const runsModels = needs.some((x) => x.backend);
  const firstNeedingInputs = needs.findIndex((x) => x.inputs);
  if (firstNeedingInputs >= 0 && !config.inputs) {
    const m = members[firstNeedingInputs];
    throw new PieAuditError('CONFIG_ERROR', `testSet.inputs: population['${m.level}'][${m.index}] is a model that must run, so the test inputs are required (or give every member as { predictions }).`, { key: 'testSet.inputs' });
  }
  if (runsModels) await initBackend({ backend: options.backend ?? 'auto' });
  const onProgress = options.onProgress;
  const evaluation = await evaluatePopulation(
    sources,
    { inputs: config.inputs, inputShape: config.inputShape, n: config.n, labels: config.labels ?? undefined },
    {
      batchSize: options.batchSize,
      runtime: options.runtime,
      cache: options.cache,
      onProgress: onProgress ? (e) => onProgress({ phase: 'evaluate', ...e }) : undefined,
    },
  );
  const evaluated = performance.now();

  let nClasses = Math.max(evaluation.nClasses, config.classNames?.length ?? 0);
  if (config.labels) for (let i = 0; i < config.n; i++) nClasses = Math.max(nClasses, config.labels[i] + 1);
  if (config.classNames && nClasses > config.classNames.length) {
    throw new PieAuditError('LABEL_OUT_OF_RANGE', `classNames names ${config.classNames.length} classes but the models predict ${nClasses}; list every class.`, { key: 'classNames' });
  }
  if (nClasses < 2) nClasses = 2;
  const classNames = config.classNames ?? Array.from({ length: nClasses }, (_, c) => String(c));
  if (config.positiveClass !== null && config.positiveClass >= nClasses) {
    throw new PieAuditError('CONFIG_ERROR', `positiveClass: ${config.positiveClass} is not a class index (there are ${nClasses} classes).`, { key: 'positiveClass' });
  }

  const n = config.n;
  const predictionsOf = (k: number) => evaluation.predictions.subarray(k * n, (k + 1) * n);
  const summaries: ModelSummary[] = await Promise.all(
    members.map(async (m, k) => {
      const measured = m.sparsity === null || m.gzippedBytes === null ? await measureModel(m.source) : null;
      const per = evaluation.perModel[k];
      return {
        index: m.index,
        id: m.id ?? (typeof m.source === 'string' ? per.source : `${m.level}#${m.index}`),
        top1: null,
        sparsity: m.sparsity ?? measured?.sparsity ?? null,
        gzippedBytes: m.gzippedBytes ?? measured?.gzippedBytes ?? null,
        runtime: per.runtime,
        fallbackReason: per.fallbackReason ?? null,
      };
    }),
  );

  const baselineRange = config.population.ranges.get(config.baseline)!;
  const baselinePredictions: Uint16Array[] = [];
  for (let k = baselineRange.start; k < baselineRange.end; k++) baselinePredictions.push(predictionsOf(k));
  const ctx: AuditContext = {
    config,
    nClasses,
    baselinePredictions,
    baselineRecall: config.labels ? populationRecall(config.labels, baselinePredictions, nClasses) : null,
    attributes: config.attributes.map((a) => ({ name: a.name, values: toGroupValues(a.values) })),
  };

  const levels: LevelReport[] = [];
  config.levels.forEach((key, index) => {
    onProgress?.({ phase: 'analyse', level: key, index, levels: config.levels.length });
    const range = config.population.ranges.get(key)!;
    const preds: Uint16Array[] = [];
    for (let k = range.start; k < range.end; k++) preds.push(predictionsOf(k));
    levels.push(analyseLevel(ctx, key, preds, summaries.slice(range.start, range.end), classNames));
  });

  const warnings: string[] = [];
  if (ctx.baselineRecall) {
    ctx.baselineRecall.support.forEach((s, c) => {
      if (s === 0) warnings.push(`class ${classNames[c]} has no examples in the test set; its recall and test are not available`);
    });
  }
  const runtimes: Record<string, number> = {};
  for (const p of evaluation.perModel) runtimes[p.runtime] = (runtimes[p.runtime] ?? 0) + 1;
  const labelCounts = config.labels ? Array.from({ length: nClasses }, () => 0) : null;
  if (labelCounts && config.labels) for (let i = 0; i < n; i++) labelCounts[config.labels[i]]++;

  const report: AuditReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    environment: {
      pieAuditVersion: PIE_AUDIT_VERSION,
      nodeVersion: process.version,
      platform: process.platform,
      arch: process.arch,
      backend: runsModels ? backendEcho() : null,
      runtimes,
    },
    config: {
      alpha: config.alpha,
      correction: config.correction,
      tieBreak: config.tieBreak,
      baseline: config.baseline,
      levels: config.levels,
      // The class subgroup rates used as positive (1 by default for two-class tasks).
      positiveClass: levels.map((l) => (l.subgroups.status === 'ok' ? l.subgroups.positiveClass : null)).find((p) => p !== null) ?? config.positiveClass,
      seed: config.seed,
      maxExemplars: config.maxExemplars,
      gates: config.gates,
    },
    testSet: { n, inputShape: config.inputShape ?? null, hasLabels: config.labels !== null, labelCounts, attributeNames: config.attributes.map((a) => a.name) },
    classNames,
    baselineLevel: config.baseline,
    levels,
    gates: null,
    verdict: 'ungated',
    exitCode: 0,
    warnings,
    timings: { evaluationSeconds: 0, analysisSeconds: 0, totalSeconds: 0 },
  };
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
  };
  return report;
}

const round3 = (s: number) => Math.round(s * 1000) / 1000;
