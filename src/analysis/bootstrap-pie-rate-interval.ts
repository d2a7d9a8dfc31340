import { PieAuditError } from '../errors.js';
import {
  runBootstrapFamily,
  type BootstrapFamily,
  type BootstrapInterval,
  type BootstrapOptions,
  type WeightedStatistics,
} from './bootstrap-resample.js';
import { assertArrayLike } from './validate-length.js';
import { assertMinSamples } from './validate-population.js';

/**
 * The PIE rate (share of examples that are PIEs) with a percentile bootstrap interval over the test examples.
 * The models are held fixed: the interval says how much the rate moves with the test set, not with retraining
 * (that is {@link pieNoiseFloor}'s question).
 *
 * @param isPIE - per example 1/true for a PIE, 0/false otherwise (`findPIEs(...).isPIE`)
 * @throws PieAuditError `INVALID_ARGUMENT` (flags other than 0/1/true/false, options), `INSUFFICIENT_SAMPLES` (no examples)
 * @example
 * bootstrapPieRateInterval(findPIEs(baseline, compressed).isPIE, { seed: 1 }).ci; // e.g. [0.011, 0.016]
 */
export function bootstrapPieRateInterval(isPIE: ArrayLike<number | boolean>, options: BootstrapOptions = {}): BootstrapInterval {
  assertArrayLike(isPIE, 'isPIE');
  const n = isPIE.length;
  assertMinSamples(n, 1, 'isPIE', 'examples');
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = isPIE[i];
    if (f === 1 || f === true) flags[i] = 1;
    else if (f !== 0 && f !== false) {
      throw new PieAuditError('INVALID_ARGUMENT', `isPIE[${i}] is ${String(f)}; PIE flags must be 0/1 or false/true.`, {
        name: 'isPIE',
        index: i,
      });
    }
  }
  return runBootstrapFamily(n, options, pieRateFamily(flags));
}

/**
 * The PIE rate interval as one bootstrap family.
 * @param flags - per example 1 for a PIE, else 0
 * @internal
 * @example
 * bootstrapFamilies(n, options, [pieRateFamily(flags)]);
 */
export function pieRateFamily(flags: Uint8Array): BootstrapFamily<BootstrapInterval> {
  const n = flags.length;
  const statistics: WeightedStatistics = (w, out) => {
    let total = 0;
    let pies = 0;
    for (let i = 0; i < n; i++) {
      total += w[i];
      pies += w[i] * flags[i];
    }
    out[0] = pies / total;
  };
  return { nStatistics: 1, statistics, finish: ([rate]) => rate };
}
