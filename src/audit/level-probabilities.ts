import { taxicabDistances } from '../analysis/taxicab-distances.js';
import { topExemplarsByDistance } from '../analysis/top-exemplars.js';
import { topKHits } from '../analysis/top-k-accuracy.js';
import { assertProbabilities } from '../analysis/validate-probabilities.js';
import { PieAuditError } from '../errors.js';
import type { Section, TaxicabSummary, TopKAccuracySummary } from '../schema/index.js';

/**
 * What the analysis keeps of one level's class probabilities: the mean probability vector per example over the
 * level's models (for the taxicab ranking) and each model's top-k accuracy. @internal
 */
export interface LevelProbabilities {
  nClasses: number;
  /** Row-major (examples x classes) mean over the level's models. */
  mean: Float64Array;
  /** Top-k accuracy per model of the level (k = min(5, classes)); `null` without labels. */
  topK: number[] | null;
}

/** Most values one typed array holds in this runtime (V8: 2^32). */
const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;

/** Where each member of the population sits: its level and its index in the level. @internal */
export interface MemberSlot {
  level: string;
  index: number;
}

/**
 * Folds each model's probability rows into its level's summary as the models are evaluated (streamed from
 * `evaluatePopulation`'s `onScores`), so memory holds levels x examples x classes sums (float64), never every
 * model's rows: the rows of model m are read once and dropped.
 * @internal
 * @example
 * const sink = new LevelProbabilitySink(members, n, labels);
 * await evaluatePopulation(sources, testSet, { onScores: (m, rows, c) => sink.add(m, rows, c) });
 * sink.level('0.9')?.mean;
 */
export class LevelProbabilitySink {
  private readonly sums = new Map<string, { sum: Float64Array; models: number; topK: number[] | null; mean: boolean }>();
  private nClasses = 0;

  constructor(
    private readonly members: readonly MemberSlot[],
    private readonly n: number,
    private readonly labels: ArrayLike<number> | null,
  ) {}

  /**
   * Adds model `m`'s rows (`n x nClasses`, row-major) to its level.
   * @throws PieAuditError `NON_FINITE`, `INVALID_ARGUMENT` (values outside [0, 1]), `LENGTH_MISMATCH`, and
   *   `CONFIG_ERROR` naming `probabilities` when a level's sums cannot be held
   */
  add(m: number, rows: Float32Array, nClasses: number): void {
    const member = this.members[m];
    const what = `population['${member.level}'][${member.index}] class probabilities`;
    assertProbabilities(rows, this.n, nClasses, what);
    this.nClasses = nClasses;
    let level = this.sums.get(member.level);
    if (!level) {
      level = { sum: this.allocate(nClasses), models: 0, topK: this.labels ? [] : null, mean: false };
      this.sums.set(member.level, level);
    }
    const sum = level.sum;
    for (let j = 0; j < sum.length; j++) sum[j] += rows[j];
    level.models++;
    if (this.labels && level.topK) level.topK[member.index] = topKHits(this.labels, rows, nClasses, Math.min(5, nClasses)) / this.n;
  }

  /** The level's summary (the sums become means on first call), or `null` when none of its models gave rows. */
  level(key: string): LevelProbabilities | null {
    const level = this.sums.get(key);
    if (!level) return null;
    if (!level.mean) {
      for (let j = 0; j < level.sum.length; j++) level.sum[j] /= level.models;
      level.mean = true;
    }
    return { nClasses: this.nClasses, mean: level.sum, topK: level.topK };
  }

  private allocate(nClasses: number): Float64Array {
    const length = this.n * nClasses;
    const levels = new Set(this.members.map((x) => x.level)).size;
    const gib = ((levels * length * 8) / 2 ** 30).toFixed(1);
    const fail = (why: string) =>
      new PieAuditError(
        'CONFIG_ERROR',
        `probabilities: the mean probability vectors need ${levels} levels x ${this.n} examples x ${nClasses} classes float64 ` +
          `(${gib} GiB), ${why}; set probabilities: false (top-5 and the taxicab ranking are then left out), or audit fewer examples or levels at once.`,
        { key: 'probabilities' },
      );
    if (length > MAX_TYPED_ARRAY_LENGTH) throw fail(`and one level's ${length.toLocaleString('en-US')} values exceed one array's limit`);
    try {
      return new Float64Array(length);
    } catch (e) {
      if (e instanceof RangeError) throw fail(`more memory than could be allocated (${e.message})`);
      throw e;
    }
  }
}

const off = { status: 'unavailable' as const, reason: 'class probabilities were not kept (set probabilities: true)' };

/**
 * Top-5 accuracy of every model of a level (k capped at the class count).
 * @internal
 * @example
 * topKSection(labels, probabilities).status; // 'ok'
 */
export function topKSection(labels: ArrayLike<number> | null, probabilities: LevelProbabilities | null): Section<TopKAccuracySummary> {
  if (!probabilities) return off;
  if (!labels || !probabilities.topK)
    return { status: 'unavailable', reason: 'no labels were given, so top-5 accuracy cannot be measured' };
  const k = Math.min(5, probabilities.nClasses);
  const perModel = probabilities.topK;
  return { status: 'ok', k, perModel, mean: perModel.reduce((a, b) => a + b, 0) / perModel.length };
}

/**
 * The taxicab (L1) distance between the baseline's and the level's mean probability vectors per example, the share
 * of PIEs among the top-N examples by it (N = the PIE count) and the first `maxExemplars` of them.
 * @internal
 * @example
 * taxicabSection(baselineProbabilities, levelProbabilities, isPIE, 12).status; // 'ok'
 */
export function taxicabSection(
  baseline: LevelProbabilities | null,
  compressed: LevelProbabilities | null,
  isPIE: Uint8Array,
  maxExemplars: number,
): Section<TaxicabSummary> {
  if (!baseline || !compressed) return off;
  const nClasses = baseline.nClasses;
  const distances = taxicabDistances(baseline.mean, compressed.mean, nClasses);
  let nPies = 0;
  let total = 0;
  for (let i = 0; i < distances.length; i++) {
    nPies += isPIE[i];
    total += distances[i];
  }
  const top = topExemplarsByDistance(distances, isPIE, Math.max(1, nPies));
  return {
    status: 'ok',
    meanDistance: total / distances.length,
    topN: top.indices.length,
    nPIEsInTopN: top.nPIEs,
    pieShareInTopN: top.pieShare,
    top: Array.from(top.indices.subarray(0, maxExemplars), (index, j) => ({
      index,
      distance: top.distances[j],
      isPIE: isPIE[index] === 1,
    })),
  };
}
