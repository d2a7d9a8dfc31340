import type { LevelReport } from '../schema/index.js';
import { underpoweredReason } from '../gate/power.js';

/** A modal tie rate above this makes the PIE count depend on the tie rule. */
export const MAX_MODAL_TIE_RATE = 0.05;

/**
 * The power warnings of a report, in level order: populations with fewer than 5 models, modal tie rates above 5 %,
 * and noise-floor tests that cannot reach alpha.
 * @internal
 * @example
 * powerWarnings(report.levels, report.baselineLevel); // ["level '0.9' has 4 models and the baseline 4: ..."]
 */
export function powerWarnings(levels: readonly LevelReport[], baselineKey: string): string[] {
  const baseline = levels.find((l) => l.key === baselineKey)!;
  const warnings: string[] = [];
  for (const level of levels) {
    if (level.isBaseline) continue;
    const weak = underpoweredReason(baseline, level);
    if (weak !== null) warnings.push(weak);
  }
  for (const level of levels) {
    if (level.modalTies.rate > MAX_MODAL_TIE_RATE) {
      const pct = (level.modalTies.rate * 100).toFixed(1);
      warnings.push(
        `level '${level.key}': ${pct} % of its modal labels are ties (above ${MAX_MODAL_TIE_RATE * 100} %), so PIEs depend on the tie ` +
          `rule; add models (an odd count helps two-way ties)`,
      );
    }
  }
  for (const level of levels) {
    if (level.pies.status === 'ok' && level.pies.permutation.status === 'inconclusive') {
      warnings.push(`level '${level.key}': the PIE noise floor cannot reach alpha: ${level.pies.permutation.reason}`);
    }
  }
  return warnings;
}
