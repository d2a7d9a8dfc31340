import { PieAuditError } from '../errors.js';
import { mcnemarExactTest } from './mcnemar-exact-test.js';
import { pairedDifferenceInterval } from './paired-difference-interval.js';
import { adjustPValues, type PAdjustMethod } from './stats/adjust-p-values.js';
import { assertClassCount, assertLabels } from './validate-labels.js';
import { assertLength } from './validate-length.js';

const negate = (ci: [number, number]): [number, number] => [-ci[1], -ci[0]];

/** One class's flips between a baseline model and its compressed model, with McNemar's exact test. */
export interface ClassFlips {
  classIndex: number;
  /** Test examples of the class. */
  support: number;
  /** Examples of the class the baseline model got right and the compressed model wrong. */
  lost: number;
  /** Examples of the class the baseline model got wrong and the compressed model right. */
  gained: number;
  /** Recall of each model on the class; `null` without examples. */
  baselineRecall: number | null;
  compressedRecall: number | null;
  /** `(gained - lost) / support`: the compressed model's recall minus the baseline's; `null` without examples. */
  recallChange: number | null;
  /** Newcombe's paired score interval of `recallChange` ({@link pairedDifferenceInterval}); `null` without examples. */
  recallChangeCi: [number, number] | null;
  /** McNemar's exact two-sided p; `null` without examples. */
  p: number | null;
  /** `p` after the correction across the classes with examples. */
  pAdjusted: number | null;
  significant: boolean;
  /** `'hurt'` (significantly more lost than gained), `'spared'` (more gained), `'unchanged'`; `null` without examples. */
  direction: 'hurt' | 'spared' | 'unchanged' | null;
}

/** Result of {@link pairedFlips}. */
export interface PairedFlips {
  n: number;
  /** Examples the baseline got right and the compressed model wrong / the reverse. */
  lost: number;
  gained: number;
  /** Examples whose predicted label changed at all (lost, gained, or one wrong label for another). */
  changed: number;
  /** Per example, 1 where the predicted label changed (the flips). */
  isFlip: Uint8Array;
  /** McNemar's exact two-sided p over all examples. */
  p: number;
  /** Baseline top-1 minus compressed top-1: `(lost - gained) / n`. */
  top1Drop: number;
  /** Newcombe's paired score interval of `top1Drop` ({@link pairedDifferenceInterval}). */
  top1DropCi: [number, number];
  classes: ClassFlips[];
}

/**
 * Exact paired tests of one baseline model against one compressed model on the same test examples: McNemar's exact
 * test on the discordant examples over the whole test set and within each class (corrected across classes with
 * `correction`), each with Newcombe's paired score interval of the accuracy (recall) change. With one model per level
 * this is the evidence the data holds: it says whether this compressed model is worse than this baseline model on
 * examples like the test set's, not whether compression with another seed would be.
 *
 * @throws PieAuditError `LENGTH_MISMATCH`, `LABEL_OUT_OF_RANGE`, `INVALID_ARGUMENT`
 * @example
 * const flips = pairedFlips(labels, baselinePredictions, compressedPredictions, 10, { alpha: 0.05, correction: 'holm' });
 * flips.p; // McNemar's exact p of the top-1 change
 * flips.classes.filter((c) => c.direction === 'hurt'); // classes that lost significantly more examples than they gained
 */
export function pairedFlips(
  labels: ArrayLike<number>,
  baseline: ArrayLike<number>,
  compressed: ArrayLike<number>,
  nClasses: number,
  options: { alpha: number; correction: PAdjustMethod; confidence?: number },
): PairedFlips {
  assertClassCount(nClasses, 'nClasses');
  const n = labels.length;
  assertLabels(labels, nClasses, 'labels');
  assertLength(baseline, n, 'baseline', 'labels');
  assertLength(compressed, n, 'compressed', 'labels');
  if (n === 0) throw new PieAuditError('INSUFFICIENT_SAMPLES', 'pairedFlips needs at least one example.', { name: 'labels' });
  const confidence = options.confidence ?? 0.95;
  const support = new Array<number>(nClasses).fill(0);
  const lostBy = new Array<number>(nClasses).fill(0);
  const gainedBy = new Array<number>(nClasses).fill(0);
  const rightBy = new Array<number>(nClasses).fill(0);
  const isFlip = new Uint8Array(n);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    const b = baseline[i] === y;
    const k = compressed[i] === y;
    support[y]++;
    if (b) rightBy[y]++;
    if (b && !k) lostBy[y]++;
    if (!b && k) gainedBy[y]++;
    if (baseline[i] !== compressed[i]) {
      isFlip[i] = 1;
      changed++;
    }
  }
  const lost = lostBy.reduce((a, b) => a + b, 0);
  const gained = gainedBy.reduce((a, b) => a + b, 0);
  const overall = mcnemarExactTest(lost, gained, n);
  const tests = support.map((s, c) => (s === 0 ? null : mcnemarExactTest(lostBy[c], gainedBy[c], s)));
  // Newcombe's interval of baseline minus compressed accuracy: both right, lost, gained, both wrong.
  const dropInterval = (right: number, lostHere: number, gainedHere: number, total: number) =>
    pairedDifferenceInterval(right - lostHere, lostHere, gainedHere, total - right - gainedHere, confidence);
  const adjusted = adjustPValues(
    tests.map((t) => t?.p ?? null),
    options.correction,
  );
  const classes = support.map((s, c): ClassFlips => {
    const test = tests[c];
    const pAdjusted = adjusted[c];
    const significant = pAdjusted !== null && pAdjusted < options.alpha;
    return {
      classIndex: c,
      support: s,
      lost: lostBy[c],
      gained: gainedBy[c],
      baselineRecall: s === 0 ? null : rightBy[c] / s,
      compressedRecall: s === 0 ? null : (rightBy[c] - lostBy[c] + gainedBy[c]) / s,
      recallChange: s === 0 ? null : (gainedBy[c] - lostBy[c]) / s,
      recallChangeCi: s === 0 ? null : negate(dropInterval(rightBy[c], lostBy[c], gainedBy[c], s)),
      p: test?.p ?? null,
      pAdjusted,
      significant,
      direction: test === null ? null : !significant ? 'unchanged' : lostBy[c] > gainedBy[c] ? 'hurt' : 'spared',
    };
  });
  const right = rightBy.reduce((x, y) => x + y, 0);
  return {
    n,
    lost,
    gained,
    changed,
    isFlip,
    p: overall.p,
    top1Drop: (lost - gained) / n,
    top1DropCi: dropInterval(right, lost, gained, n),
    classes,
  };
}
