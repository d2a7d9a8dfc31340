import { seededPermutation } from '../random/seeded-permutation.js';
import { seededRandom } from '../random/seeded-random.js';
import type { BaselineAccuracyOnPies } from '../schema/index.js';

type PieAccuracyFields = Pick<BaselineAccuracyOnPies, 'compressedOnPies' | 'compressedOnNonPies' | 'compressedModalCorrectOnPies' | 'control'>;

/**
 * The compressed population's accuracy on a level's PIEs and on the rest, the PIEs its modal label gets right, and
 * the control: both populations' accuracy on a seeded random subset of as many examples as there are PIEs.
 * Mean accuracy over models on a subset is the mean over its examples of the share of models correct.
 * @internal
 * @example
 * pieAccuracyOnLevel({ labels, isPIE, compressedModal, baselineShareCorrect, compressedShareCorrect }, 1).control?.size;
 */
export function pieAccuracyOnLevel(input: {
  labels: ArrayLike<number>; isPIE: Uint8Array; compressedModal: ArrayLike<number>;
  baselineShareCorrect: Float64Array; compressedShareCorrect: Float64Array;
}, seed: number): PieAccuracyFields {
  const { labels, isPIE, compressedModal, baselineShareCorrect: sb, compressedShareCorrect: sk } = input;
  const n = isPIE.length;
  let nPies = 0;
  let onPies = 0;
  let onRest = 0;
  let fixed = 0;
  for (let i = 0; i < n; i++) {
    if (isPIE[i]) {
      nPies++;
      onPies += sk[i];
      if (compressedModal[i] === labels[i]) fixed++;
    } else onRest += sk[i];
  }
  let control: PieAccuracyFields['control'] = null;
  if (nPies > 0) {
    const subset = seededPermutation(n, seededRandom(seed)).subarray(0, nPies);
    let b = 0;
    let k = 0;
    for (const i of subset) {
      b += sb[i];
      k += sk[i];
    }
    control = { size: nPies, seed, baselineOnSubset: b / nPies, compressedOnSubset: k / nPies };
  }
  return {
    compressedOnPies: nPies > 0 ? onPies / nPies : null,
    compressedOnNonPies: n - nPies > 0 ? onRest / (n - nPies) : null,
    compressedModalCorrectOnPies: fixed,
    control,
  };
}
