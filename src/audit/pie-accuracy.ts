import { pieAccuracyBreakdown } from '../analysis/pie-accuracy-breakdown.js';
import type { BaselineAccuracyOnPies } from '../schema/index.js';

type PieAccuracyFields = Pick<
  BaselineAccuracyOnPies,
  'compressedOnPies' | 'compressedOnNonPies' | 'compressedModalCorrectOnPies' | 'control'
>;

/**
 * The compressed population's accuracy on a level's PIEs and on the rest, the PIEs its modal label gets right, and
 * the control (both populations' accuracy on a seeded random subset as large as the PIEs), from
 * {@link pieAccuracyBreakdown}, in the report's fields.
 * @internal
 * @example
 * pieAccuracyOnLevel({ labels, isPIE, baselineModal, compressedModal, baselineShareCorrect, compressedShareCorrect }, 1).control?.size;
 */
export function pieAccuracyOnLevel(input: Parameters<typeof pieAccuracyBreakdown>[0], seed: number): PieAccuracyFields {
  const r = pieAccuracyBreakdown(input, { seed });
  return {
    compressedOnPies: r.pies.compressedAccuracy,
    compressedOnNonPies: r.rest.compressedAccuracy,
    compressedModalCorrectOnPies: r.piesCompressedModalCorrect,
    control:
      r.pies.n === 0
        ? null
        : {
            size: r.control.n,
            seed: r.seed,
            baselineOnSubset: r.control.baselineAccuracy as number,
            compressedOnSubset: r.control.compressedAccuracy as number,
          },
  };
}
