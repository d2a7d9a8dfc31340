import { PieAuditError } from '../../errors.js';
import { argmaxRows } from '../argmax-rows.js';
import { loadPredictions } from '../predictions/load-predictions.js';
import type { PrecomputedSource } from '../resolve-source.js';
import type { DeferredProbabilitiesSource } from '../types.js';
import { copyLabels } from '../to-label-array.js';

/** Rows one model contributes: its largest label, and its class count when it gave scores. */
export interface PrecomputedRows {
  maxLabel: number;
  nClasses?: number;
}

/**
 * Copies a model's precomputed predictions (labels, score rows, or a predictions file) into `out`,
 * and its score rows into the buffer `scoreRows` gives, checking lengths against the test set.
 *
 * @throws PieAuditError `LENGTH_MISMATCH`, `INVALID_ARGUMENT` (bad `nClasses`, or scores asked for from labels only)
 * @example
 * await usePrecomputed(resolveSource({ predictions: labels }, 'models[0]'), out, n, 'models[0]', false, () => undefined);
 */
export async function usePrecomputed(
  source: PrecomputedSource,
  out: Uint16Array,
  n: number,
  what: string,
  returnProbabilities: boolean,
  scoreRows: (width: number) => Float32Array | undefined,
): Promise<PrecomputedRows> {
  let labels: ArrayLike<number> | undefined;
  let scores: Float32Array | undefined;
  let width: number | undefined;
  if (source.kind === 'labels') labels = source.source.predictions;
  else if (source.kind === 'probabilities' || source.kind === 'deferred-probabilities') {
    // A deferred member's rows are read here, one member at a time, and dropped with this call.
    const given = source.kind === 'probabilities' ? source.source : await loadDeferred(source.source, what);
    if (!(given.probabilities instanceof Float32Array))
      throw new PieAuditError('INVALID_ARGUMENT', `${what}: loadProbabilities() must give { probabilities: Float32Array, nClasses }.`, {});
    scores = given.probabilities;
    width = given.nClasses;
    if (!Number.isInteger(width) || width < 1)
      throw new PieAuditError('INVALID_ARGUMENT', `${what}: nClasses must be a positive integer, got ${String(width)}.`, {});
    if (scores.length !== n * width) {
      throw new PieAuditError(
        'LENGTH_MISMATCH',
        `${what} holds ${scores.length} probabilities; n = ${n} examples x ${width} classes need ${n * width}.`,
        { length: scores.length, n },
      );
    }
  } else {
    const loaded = await loadPredictions(source.path, source.format ? { format: source.format } : {});
    if (loaded.n !== n) {
      throw new PieAuditError(
        'LENGTH_MISMATCH',
        `${what} holds predictions for ${loaded.n} examples but the test set has n = ${n}; write one prediction per test example, in test-set order.`,
        { length: loaded.n, n },
      );
    }
    if (loaded.probabilities) {
      scores = loaded.probabilities;
      width = loaded.nClasses;
    } else labels = loaded.predictions;
  }
  if (scores && width !== undefined) {
    argmaxRows(scores, n, width, out, 0, { what, firstExample: 0 });
    scoreRows(width)?.set(scores);
    let max = -1;
    for (let i = 0; i < n; i++) if (out[i] > max) max = out[i];
    return { maxLabel: max, nClasses: width };
  }
  if (labels!.length !== n) {
    throw new PieAuditError('LENGTH_MISMATCH', `${what} holds ${labels!.length} predictions but the test set has n = ${n}.`, {
      length: labels!.length,
      n,
    });
  }
  if (returnProbabilities) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `class scores are asked for (returnProbabilities, onScores, or the audit's probabilities: true) but ${what} holds only top-1 labels; pass its scores ({ probabilities, nClasses } or a file of score rows), or turn that option off.`,
      {},
    );
  }
  return { maxLabel: copyLabels(labels!, out, 0, what) };
}

/** A deferred member's rows; what its loader gave, checked for shape by the caller. */
async function loadDeferred(source: DeferredProbabilitiesSource, what: string): Promise<{ probabilities: unknown; nClasses: number }> {
  const loaded = (await source.loadProbabilities()) as { probabilities?: unknown; nClasses?: unknown } | null | undefined;
  if (typeof loaded !== 'object' || loaded === null)
    throw new PieAuditError('INVALID_ARGUMENT', `${what}: loadProbabilities() must give { probabilities: Float32Array, nClasses }.`, {});
  return { probabilities: loaded.probabilities, nClasses: loaded.nClasses as number };
}
