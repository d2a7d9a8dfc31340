import type { LevelReport } from '../schema/index.js';

/**
 * Why a level's intervals cannot back a `'confident'` gate decision, or `null` when they can: they can when they
 * resample models and examples (they cover retraining the populations), or when the level is one compressed model
 * against one baseline model, whose exact paired tests are about those two models (the report says so). A report
 * saved before interval sources were recorded has examples-only intervals.
 * @internal
 * @example
 * examplesOnlyReason(levelWithTwoModels); // "level '0.9' has examples-only intervals (...): 'confident' needs ..."
 */
export function examplesOnlyReason(level: LevelReport): string | null {
  if (level.intervals?.source === 'models and examples' || level.flips?.status === 'ok') return null;
  const why = level.intervals?.reason ?? 'a report saved before pie-audit recorded where intervals come from';
  return (
    `level '${level.key}' has examples-only intervals (${why}); 'confident' needs intervals over models and examples, ` +
    'which need at least 3 models per level'
  );
}
