/**
 * Realistic, deterministic AuditReport fixtures for the report renderers' tests: an MNIST-like
 * audit of 6 sparsity levels x 5 models, 10 classes, two group attributes, binary subgroup rates
 * and PIE exemplars with real PNG thumbnails. Numbers follow the shapes seen in Hooker et al.
 * (accuracy falls slowly then fast, PIE rate grows with sparsity, a few classes hurt).
 *
 * `options.chaos` (0..1) randomly nulls values and skips sections, to check that renderers never
 * print NaN/undefined whatever is missing.
 */
import type {
  AttributeOverIndexReportRow,
  AuditReport,
  ClassImpactReportRow,
  GateResult,
  LevelReport,
  PieExemplar,
  SubgroupErrorRow,
} from '../../src/schema/index.js';
import fc from 'fast-check';
import { encodePngDataUri } from '../../src/data/png.js';
import { mulberry32 } from '../../src/random/mulberry32.js';

export interface FixtureOptions {
  seed?: number;
  /** Level keys, baseline first (default 6 sparsity levels). */
  levels?: string[];
  classes?: number;
  modelsPerLevel?: number;
  /** Probability of each nullable value/section going missing (default 0). */
  chaos?: number;
  /** Whether gates are configured (default true). */
  gated?: boolean;
  /** Whether exemplars get thumbnails (default true). */
  thumbnails?: boolean;
  /** Odd class names to exercise escaping. */
  classNames?: string[];
  hasLabels?: boolean;
  testSetSize?: number;
}

export const DEFAULT_LEVELS = ['0', '0.3', '0.5', '0.7', '0.9', '0.97'];

const rng = mulberry32;

function normalCdf(x: number): number {
  // Abramowitz-Stegun 7.1.26 erf approximation; plenty for a fixture.
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function benjaminiHochberg(p: Array<number | null>): Array<number | null> {
  const idx = p
    .map((v, i) => [v, i] as const)
    .filter((e): e is readonly [number, number] => e[0] !== null)
    .sort((a, b) => a[0] - b[0]);
  const m = idx.length;
  const out: Array<number | null> = p.map(() => null);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    running = Math.min(running, (idx[k]![0] * m) / (k + 1));
    out[idx[k]![1]] = running;
  }
  return out;
}

// 3x5 bitmap digits, drawn into 28x28 thumbnails so the gallery shows recognisable glyphs.
const GLYPHS = [
  '111101101101111',
  '010110010010111',
  '111001111100111',
  '111001111001111',
  '101101111001001',
  '111100111001111',
  '111100111101111',
  '111001001001001',
  '111101111101111',
  '111101111001111',
];

export function digitImage(digit: number, jitter: () => number): Float32Array {
  const img = new Float32Array(28 * 28);
  const glyph = GLYPHS[digit % 10]!;
  const ox = 5 + Math.floor(jitter() * 4);
  const oy = 3 + Math.floor(jitter() * 3);
  for (let gy = 0; gy < 5; gy++) {
    for (let gx = 0; gx < 3; gx++) {
      if (glyph[gy * 3 + gx] !== '1') continue;
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 5; x++) {
          const px = ox + gx * 5 + x;
          const py = oy + gy * 4 + y;
          if (px < 28 && py < 28) img[py * 28 + px] = 0.75 + 0.25 * jitter();
        }
    }
  }
  return img;
}

export function makeAuditReport(options: FixtureOptions = {}): AuditReport {
  const r = rng(options.seed ?? 1);
  const chaos = options.chaos ?? 0;
  const gone = (): boolean => chaos > 0 && r() < chaos;
  const maybe = <T>(v: T): T | null => (gone() ? null : v);
  const levels = options.levels ?? DEFAULT_LEVELS;
  const k = options.classes ?? options.classNames?.length ?? 10;
  const classNames = options.classNames ?? Array.from({ length: k }, (_, i) => String(i));
  const m = options.modelsPerLevel ?? 5;
  const n = options.testSetSize ?? 10_000;
  const hasLabels = options.hasLabels ?? true;
  const labelCounts = Array.from({ length: k }, (_, c) => Math.round(n / k + (c % 3) * 7 - 7));
  const alpha = 0.05;

  const levelReports: LevelReport[] = levels.map((key, li) => {
    const isBaseline = li === 0;
    const num = Number(key);
    const numericLevel = key.trim() !== '' && Number.isFinite(num) ? num : null;
    const severity = numericLevel !== null ? numericLevel ** 3 : 0.2 + 0.1 * li;
    const meanTop1 = 0.985 - 0.07 * severity;
    const perModel = Array.from({ length: m }, () => Math.min(1, Math.max(0, meanTop1 + (r() - 0.5) * 0.004)));
    const mean = perModel.reduce((a, b) => a + b, 0) / m;
    const sd = m > 1 ? Math.sqrt(perModel.reduce((a, b) => a + (b - mean) ** 2, 0) / (m - 1)) : null;
    const sparsity = numericLevel ?? 0;
    const gz = Math.round(1_650_000 * (1 - 0.85 * sparsity));
    const models = perModel.map((top1, i) => ({
      index: i,
      id: `mnist-mlp/${key}/model-${i}.json`,
      top1: hasLabels ? maybe(top1) : null,
      sparsity: maybe(sparsity + (r() - 0.5) * 0.002 * (sparsity > 0 ? 1 : 0)),
      gzippedBytes: maybe(gz + Math.round((r() - 0.5) * 2000)),
      storedWeightBytes: null,
      runtime: numericLevel === null ? 'onnx' : 'tfjs',
      fallbackReason: null,
    }));
    const accuracy: LevelReport['accuracy'] = !hasLabels
      ? { status: 'unavailable', reason: 'no true labels were given' }
      : gone()
        ? { status: 'inconclusive', reason: 'fewer than 2 models at this level' }
        : {
            status: 'ok',
            perModel,
            mean,
            ci: [mean - 0.002, mean + 0.002],
            top1Drop: isBaseline ? null : 0.985 - mean,
            top1DropCi: isBaseline ? null : [0.985 - mean - 0.001, 0.985 - mean + 0.001],
            sd: sd === null ? null : maybe(sd),
            min: Math.min(...perModel),
            max: Math.max(...perModel),
          };

    const pieCount = isBaseline ? 0 : Math.round(n * (0.002 + 0.05 * severity) * (0.8 + 0.4 * r()));
    const spread = (total: number): number[] => {
      const w = classNames.map((_, c) => 0.5 + r() + (c === 8 || c === 5 ? 1.5 : 0));
      const s = w.reduce((a, b) => a + b, 0);
      const counts = w.map((x) => Math.floor((total * x) / s));
      counts[0]! += total - counts.reduce((a, b) => a + b, 0);
      return counts;
    };
    const pies: LevelReport['pies'] = isBaseline
      ? { status: 'not-applicable', reason: 'the baseline level has no PIEs against itself' }
      : {
          status: 'ok',
          count: pieCount,
          rate: pieCount / n,
          rateCi: [(pieCount * 0.9) / n, (pieCount * 1.1) / n],
          permutation: {
            status: m >= 6 ? 'ok' : 'inconclusive',
            design: 'paired',
            method: 'exact',
            splits: 2 ** m,
            observed: pieCount,
            nullMedian: Math.round(pieCount * 0.3),
            nullP95: Math.round(pieCount * 0.4),
            excess: pieCount - Math.round(pieCount * 0.3),
            excessRate: (pieCount - Math.round(pieCount * 0.3)) / n,
            p: 2 / 2 ** m,
            minAchievableP: 2 / 2 ** m,
            significant: m >= 6,
            reason:
              m >= 6
                ? null
                : `the smallest p-value this test can give is ${2 / 2 ** m}, above alpha 0.05 with ${m} model pairs (paired design): need at least 6 models per level`,
          },
          byTrueClass: hasLabels ? spread(pieCount) : null,
          byBaselineModal: spread(pieCount),
        };

    const baselineAccuracyOnPies: LevelReport['baselineAccuracyOnPies'] = isBaseline
      ? { status: 'not-applicable', reason: 'the baseline level has no PIEs against itself' }
      : !hasLabels
        ? { status: 'unavailable', reason: 'no true labels were given' }
        : {
            status: 'ok',
            onPies: maybe(0.45 + 0.2 * r()),
            onNonPies: maybe(0.99 + 0.005 * r()),
            modalOnPies: maybe(0.5 + 0.2 * r()),
            modalOnNonPies: 0.993,
            nPies: pieCount,
            nNonPies: n - pieCount,
            compressedOnPies: pieCount > 0 ? 0.3 : null,
            compressedOnNonPies: 0.98,
            compressedModalCorrectOnPies: Math.floor(pieCount * 0.3),
            control: pieCount > 0 ? { size: pieCount, seed: 42, baselineOnSubset: 0.98, compressedOnSubset: 0.97 } : null,
          };

    let classImpact: LevelReport['classImpact'];
    if (isBaseline) classImpact = { status: 'not-applicable', reason: 'the baseline level is the reference for the tests' };
    else if (!hasLabels) classImpact = { status: 'unavailable', reason: 'no true labels were given' };
    else if (m < 2) classImpact = { status: 'inconclusive', reason: 'fewer than 2 models per level; Welch tests need at least 2' };
    else {
      const raw = classNames.map((name, c) => {
        const inconclusive = gone();
        const drift = (c === 8 ? -1 : c === 5 ? -0.6 : c === 1 ? 0.4 : 0) * severity * 0.08 + (r() - 0.5) * 0.004;
        const baseRecall = 0.97 + 0.02 * r();
        const compRecall = Math.max(0, baseRecall - (0.985 - mean) + drift);
        // Normalised recall as in the report type: class recall minus the population's mean top-1.
        const bn = baseRecall - 0.985;
        const cn = compRecall - mean;
        const change = cn - bn;
        const se = 0.0015 + 0.001 * r();
        const t = change / se;
        const df = 6 + 2 * r();
        const p = 2 * (1 - normalCdf(Math.abs(t) * Math.sqrt(df / (df + 1.5))));
        return { name, c, inconclusive, baseRecall, compRecall, bn, cn, change, t, df, p: Math.max(p, 1e-12) };
      });
      const adj = benjaminiHochberg(raw.map((x) => (x.inconclusive ? null : x.p)));
      const rows: ClassImpactReportRow[] = raw.map((x, i) => {
        if (x.inconclusive) {
          return {
            classIndex: x.c,
            className: x.name,
            support: labelCounts[x.c]!,
            baselineMeanRecall: x.baseRecall,
            compressedMeanRecall: null,
            baselineNormalizedRecall: null,
            compressedNormalizedRecall: null,
            normalizedRecallChange: null,
            t: null,
            df: null,
            p: null,
            pAdjusted: null,
            significant: false,
            direction: null,
            status: 'inconclusive',
            reason: 'need at least 2 models with examples of this class per level',
            degenerate: false,
            nBaseline: 5,
            nCompressed: 1,
            rawRecallChange: null,
            rawRecallChangeCi: null,
            normalizedRecallChangeCi: null,
          };
        }
        const significant = (adj[i] ?? 1) < alpha;
        return {
          classIndex: x.c,
          className: x.name,
          support: labelCounts[x.c]!,
          baselineMeanRecall: x.baseRecall,
          compressedMeanRecall: x.compRecall,
          baselineNormalizedRecall: x.bn,
          compressedNormalizedRecall: x.cn,
          normalizedRecallChange: x.change,
          t: x.t,
          df: x.df,
          p: x.p,
          pAdjusted: adj[i]!,
          significant,
          direction: significant ? (x.change < 0 ? 'hurt' : 'spared') : 'unchanged',
          status: 'ok',
          reason: null,
          degenerate: false,
          nBaseline: 5,
          nCompressed: 5,
          rawRecallChange: x.compRecall - x.baseRecall,
          rawRecallChangeCi: [x.compRecall - x.baseRecall - 0.01, x.compRecall - x.baseRecall + 0.01],
          normalizedRecallChangeCi: [x.change - 0.01, x.change + 0.01],
        };
      });
      classImpact = {
        status: 'ok',
        alpha,
        correction: 'bh',
        hurtClasses: rows.filter((x) => x.direction === 'hurt').map((x) => x.classIndex),
        sparedClasses: rows.filter((x) => x.direction === 'spared').map((x) => x.classIndex),
        rows,
      };
    }

    const attrDefs: Array<[string, string[], number[]]> = [
      ['stroke_width', ['thin', 'normal', 'thick'], [0.2, 0.6, 0.2]],
      ['writer_group', ['students', 'census staff'], [0.5, 0.5]],
    ];
    let attributes: LevelReport['attributes'];
    if (isBaseline) attributes = { status: 'not-applicable', reason: 'the baseline level has no PIEs against itself' };
    else if (gone()) attributes = { status: 'unavailable', reason: 'no group attributes were given' };
    else {
      const rows: AttributeOverIndexReportRow[] = [];
      for (const [attribute, values, shares] of attrDefs) {
        const bias = values.map((_, vi) => (attribute === 'stroke_width' && vi === 0 ? 1 + 1.8 * severity : 1 + (r() - 0.5) * 0.2));
        const w = shares.map((s, vi) => s * bias[vi]!);
        const ws = w.reduce((a, b) => a + b, 0);
        values.forEach((value, vi) => {
          const countOverall = Math.round(n * shares[vi]!);
          const countAmongPIEs = Math.round((pieCount * w[vi]!) / ws);
          const shareAmongPIEs = pieCount > 0 ? countAmongPIEs / pieCount : null;
          const p = maybe(bias[vi]! > 1.3 ? 1e-6 * r() : 0.1 + 0.8 * r());
          rows.push({
            attribute,
            value,
            countAmongPIEs,
            nPIEs: pieCount,
            countOverall,
            nOverall: n,
            nMissing: 0,
            shareAmongPIEs,
            shareOverall: countOverall / n,
            overIndexRatio: shareAmongPIEs === null ? null : shareAmongPIEs / (countOverall / n),
            shareDifference: shareAmongPIEs === null ? null : shareAmongPIEs - countOverall / n,
            oddsRatio: null,
            p,
            pAdjusted: null,
            significant: false,
            status: p === null ? 'inconclusive' : 'ok',
            reason: p === null ? 'no PIEs among the examples where this attribute is recorded' : null,
            overIndexRatioCi:
              shareAmongPIEs === null ? null : [(shareAmongPIEs / (countOverall / n)) * 0.8, (shareAmongPIEs / (countOverall / n)) * 1.2],
          });
        });
      }
      const adjusted = benjaminiHochberg(rows.map((x) => x.p));
      rows.forEach((x, i) => {
        x.pAdjusted = adjusted[i] ?? null;
        x.significant = x.pAdjusted !== null && x.pAdjusted < alpha;
      });
      attributes = { status: 'ok', rows };
    }

    let subgroups: LevelReport['subgroups'];
    if (isBaseline) subgroups = { status: 'not-applicable', reason: 'the baseline level is the reference' };
    else if (gone() || !hasLabels) subgroups = { status: 'unavailable', reason: 'the task is not binary and no positiveClass was set' };
    else {
      const rows: SubgroupErrorRow[] = attrDefs.flatMap(([attribute, values]) =>
        values.map((value, vi) => {
          const bf = 0.01 + 0.01 * r();
          const bn2 = 0.02 + 0.01 * r();
          const cf = bf + severity * 0.02 * (vi === 0 ? 2 : 1) * r();
          const cn2 = bn2 + severity * 0.03 * r();
          const baselineFpr = maybe(bf);
          const compressedFpr = maybe(cf);
          return {
            attribute,
            value,
            n: 1000 + vi * 500,
            positives: 100 + vi * 40,
            negatives: 900 + vi * 460,
            baselineFpr,
            compressedFpr,
            baselineFnr: bn2,
            compressedFnr: cn2,
            fprChange: baselineFpr === null || compressedFpr === null ? null : compressedFpr - baselineFpr,
            fnrChange: cn2 - bn2,
            fprPValue: maybe(r() * 0.2),
            fnrPValue: maybe(r()),
            baselineFprCi: baselineFpr === null ? null : [baselineFpr * 0.9, baselineFpr * 1.1],
            compressedFprCi: compressedFpr === null ? null : [compressedFpr * 0.9, compressedFpr * 1.1],
            baselineFnrCi: [bn2 * 0.9, bn2 * 1.1],
            compressedFnrCi: [cn2 * 0.9, cn2 * 1.1],
            fprChangeCi:
              baselineFpr === null || compressedFpr === null
                ? null
                : [compressedFpr - baselineFpr - 0.005, compressedFpr - baselineFpr + 0.005],
            fnrChangeCi: [cn2 - bn2 - 0.005, cn2 - bn2 + 0.005],
            restFprChange: 0.002,
            restFnrChange: 0.003,
            fprGap: baselineFpr === null || compressedFpr === null ? null : compressedFpr - baselineFpr - 0.002,
            fnrGap: cn2 - bn2 - 0.003,
            fprGapCi:
              baselineFpr === null || compressedFpr === null
                ? null
                : [compressedFpr - baselineFpr - 0.008, compressedFpr - baselineFpr + 0.004],
            fnrGapCi: [cn2 - bn2 - 0.009, cn2 - bn2 + 0.003],
          } satisfies SubgroupErrorRow;
        }),
      );
      subgroups = { status: 'ok', positiveClass: 1, rows };
    }

    const exemplars: PieExemplar[] = isBaseline
      ? []
      : Array.from({ length: Math.min(pieCount, 12) }, (_, i) => {
          const trueLabel = Math.floor(r() * k);
          const baselineModal = r() < 0.7 ? trueLabel : Math.floor(r() * k);
          let compressedModal = Math.floor(r() * k);
          if (compressedModal === baselineModal) compressedModal = (compressedModal + 1) % k;
          return {
            index: Math.floor(r() * n) + i,
            baselineModal,
            compressedModal,
            trueLabel: hasLabels ? trueLabel : null,
            baselineAgreement: 0.6 + 0.4 * r(),
            compressedAgreement: 0.4 + 0.6 * r(),
            thumbnail: options.thumbnails === false || gone() ? null : encodePngDataUri(digitImage(trueLabel, r), 28, 28, 1, { scale: 2 }),
          };
        });

    const ties = isBaseline ? 0 : Math.round(pieCount * 0.05 * r());
    return {
      key,
      isBaseline,
      numericLevel,
      populationSize: m,
      models,
      accuracy,
      meanSparsity: maybe(sparsity),
      meanGzippedBytes: maybe(gz),
      meanStoredWeightBytes: null,
      modalTies: { count: ties, rate: ties / n },
      pies,
      baselineAccuracyOnPies,
      classImpact,
      attributes,
      subgroups,
      exemplars,
      topK: hasLabels
        ? { status: 'ok', k: 5, perModel: perModel.map((a) => Math.min(1, a + 0.01)), mean: Math.min(1, mean + 0.01) }
        : { status: 'unavailable', reason: 'no labels were given, so top-5 accuracy cannot be measured' },
      taxicab: isBaseline
        ? { status: 'not-applicable', reason: 'the baseline level is the reference' }
        : {
            status: 'ok',
            meanDistance: 0.02 + 0.1 * severity,
            topN: Math.max(1, pieCount),
            nPIEsInTopN: Math.floor(pieCount * 0.8),
            pieShareInTopN: pieCount > 0 ? Math.floor(pieCount * 0.8) / pieCount : 0,
            top: exemplars.slice(0, 3).map((e, j) => ({ index: e.index, distance: 1.5 - 0.1 * j, isPIE: true })),
          },
    };
  });

  const gated = options.gated ?? true;
  const results: GateResult[] = [];
  if (gated) {
    for (const lv of levelReports.slice(1)) {
      const rate = lv.pies.status === 'ok' ? lv.pies.rate : null;
      const threshold = 0.05;
      results.push({
        gate: 'maxPieRate',
        level: lv.key,
        attribute: null,
        value: null,
        threshold,
        observed: rate,
        interval: null,
        waived: false,
        status: rate === null ? 'inconclusive' : rate > threshold ? 'fail' : 'pass',
        reason:
          rate === null
            ? `PIE rate at level ${lv.key} could not be measured`
            : `PIE rate ${rate.toFixed(4)} at level ${lv.key} ${rate > threshold ? 'exceeds' : 'is within'} ${threshold}`,
      });
    }
    const last = levelReports.at(-1)!;
    const hurt = last.classImpact.status === 'ok' ? last.classImpact.hurtClasses.length : null;
    results.push({
      gate: 'maxSignificantlyHurtClasses',
      level: last.key,
      attribute: null,
      value: null,
      threshold: 0,
      observed: hurt,
      interval: null,
      waived: false,
      status: hurt === null ? 'inconclusive' : hurt > 0 ? 'fail' : 'pass',
      reason:
        hurt === null
          ? `per-class tests at level ${last.key} were not run`
          : `${hurt} classes significantly hurt at level ${last.key} (allowed 0)`,
    });
    results.push({
      gate: 'attributes.maxOverIndex',
      level: last.key,
      attribute: 'stroke_width',
      value: 'thin',
      threshold: 1.5,
      observed: 1.3,
      interval: [1.1, 1.45],
      waived: false,
      status: 'pass',
      reason: `over-index of stroke_width=thin at level ${last.key} is within 1.5`,
    });
  }
  const verdict: AuditReport['verdict'] = !gated
    ? 'ungated'
    : results.some((g) => g.status === 'fail')
      ? 'fail'
      : results.some((g) => g.status === 'inconclusive')
        ? 'inconclusive'
        : 'pass';
  const exitCode = verdict === 'fail' ? 1 : verdict === 'inconclusive' ? 3 : 0;

  return {
    schemaVersion: 1,
    generatedAt: '2026-11-21T10:00:00.000Z',
    environment: {
      pieAuditVersion: '0.1.0',
      nodeVersion: 'v20.19.0',
      platform: 'linux',
      arch: 'x64',
      backend: { name: 'wasm', details: { simd: true, threads: 1, tfjsVersion: '4.22.0' } },
      runtimes: {
        tfjs: m * levels.filter((l) => Number.isFinite(Number(l))).length,
        onnx: m * levels.filter((l) => !Number.isFinite(Number(l))).length,
      },
    },
    config: {
      alpha,
      correction: 'bh',
      tieBreak: 'max',
      baseline: levels[0]!,
      levels: [...levels],
      positiveClass: 1,
      seed: 42,
      maxExemplars: 12,
      bootstrap: { resamples: 1000, confidence: 0.95, seed: 42 },
      noiseFloor: { design: 'auto', maxExactSplits: 20000, draws: 1999, seed: 42 },
      probabilities: true,
      gates: gated
        ? {
            maxPieRate: Object.fromEntries(levels.slice(1).map((l) => [l, 0.05])),
            maxSignificantlyHurtClasses: { [levels.at(-1)!]: 0 },
            attributes: { stroke_width: { maxOverIndex: 1.5 } },
          }
        : null,
    },
    testSet: {
      n,
      inputShape: [28, 28, 1],
      hasLabels,
      labelCounts: hasLabels ? labelCounts : null,
      attributeNames: ['stroke_width', 'writer_group'],
    },
    classNames,
    baselineLevel: levels[0]!,
    levels: levelReports,
    gates: gated
      ? { verdict: verdict as 'pass' | 'fail' | 'inconclusive', exitCode: exitCode as 0 | 1 | 3, decision: 'point', results, waived: null }
      : null,
    verdict,
    exitCode,
    warnings: chaos > 0 ? ['class "7" has fewer than 30 test examples'] : [],
    design: {
      design: 'paired',
      reason: "every compressed level holds exactly the baseline's member ids",
      memberIds: Object.fromEntries(levels.map((l) => [l, Array.from({ length: m }, (_, i) => `model-${i}`)])),
    },
    timings: { evaluationSeconds: 12.5, analysisSeconds: 0.8, totalSeconds: 13.4 },
  };
}

/** Hostile-looking class names: Markdown/HTML/CSV metacharacters and non-ASCII. */
export const AWKWARD_CLASS_NAMES = [
  'plain',
  'a|b',
  '<script>alert(1)</script>',
  'x & y',
  '"quoted", comma',
  '*bold* _it_',
  'line\nbreak',
  'émoji 🐱',
  '`code`',
  '#hash',
];

/**
 * fast-check arbitrary over fixture options: numeric or named levels, 1-5 models, with or without
 * labels/gates/thumbnails, awkward class names, and up to everything missing (chaos 1).
 */
export const fixtureOptionsArb = (): fc.Arbitrary<FixtureOptions> =>
  fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    chaos: fc.constantFrom(0, 0.2, 0.6, 1),
    levels: fc.constantFrom(DEFAULT_LEVELS, ['fp32', 'fp16', 'int8'], ['0'], ['0', '0.5'], ['0', 'int8', '0.9']),
    modelsPerLevel: fc.constantFrom(1, 2, 5),
    hasLabels: fc.boolean(),
    gated: fc.boolean(),
    thumbnails: fc.boolean(),
    classNames: fc.constantFrom(undefined, AWKWARD_CLASS_NAMES, ['cat', 'dog']),
    testSetSize: fc.constantFrom(50, 10_000),
  });
