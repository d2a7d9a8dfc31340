import { PieAuditError } from '../../errors.js';
import { argmaxRows } from '../argmax-rows.js';
import type { SourcePredictor } from '../source-predictor.js';

/** Examples `start .. start + rows - 1` of the test set, row-major (a view of the inputs or a batch read from disk). */
export type ReadBatch = (start: number, rows: number) => Float32Array | Promise<Float32Array>;

/** The batch reader of in-memory inputs: views, never copies. */
export const viewsOf =
  (inputs: Float32Array, featureSize: number): ReadBatch =>
  (start, rows) =>
    inputs.subarray(start * featureSize, (start + rows) * featureSize);

/** Called after each batch: batch number (1-based), batch count, examples done. */
export type BatchProgress = (batch: number, batches: number, examplesDone: number) => void;

/**
 * Runs a predictor over the test set batch by batch (each batch from `read`: a view of in-memory inputs or one
 * batch read from disk),
 * writing top-1 labels into `out` and, when `scoreRows` returns a buffer, the score rows too.
 *
 * @throws PieAuditError `SHAPE_MISMATCH` when a batch's scores are not rows x classes, `NON_FINITE` for NaN scores
 * @example
 * const { width } = await runBatches(predictor, viewsOf(inputs, 784), n, 1024, labels, 'models[0]', () => undefined, () => {}, undefined);
 */
export async function runBatches(
  predictor: SourcePredictor,
  read: ReadBatch,
  n: number,
  batchSize: number,
  out: Uint16Array,
  what: string,
  scoreRows: (width: number) => Float32Array | undefined,
  report: BatchProgress,
  signal: AbortSignal | undefined,
): Promise<{ width: number; target: Float32Array | undefined }> {
  const batches = Math.ceil(n / batchSize);
  let width = predictor.nClasses;
  let target: Float32Array | undefined;
  for (let b = 0; b < batches; b++) {
    signal?.throwIfAborted();
    const start = b * batchSize;
    const rows = Math.min(batchSize, n - start);
    const scores = await predictor.predict(await read(start, rows), rows);
    if (!(scores instanceof Float32Array)) {
      const got = scores === null ? 'null' : Array.isArray(scores) ? 'an array' : typeof scores;
      throw new PieAuditError(
        'SHAPE_MISMATCH',
        `${what} returned ${got} for a batch of ${rows} examples; predict() must resolve to a Float32Array of rows * nClasses scores.`,
        {},
      );
    }
    if (b === 0 || width === undefined) {
      if (scores.length % rows !== 0 || scores.length === 0) {
        throw new PieAuditError(
          'SHAPE_MISMATCH',
          `${what} returned ${scores.length} scores for a batch of ${rows} examples; expected rows * nClasses.`,
          {},
        );
      }
      width ??= scores.length / rows;
      target = scoreRows(width);
    }
    if (scores.length !== rows * width) {
      throw new PieAuditError(
        'SHAPE_MISMATCH',
        `${what} returned ${scores.length} scores for a batch of ${rows} examples; expected ${rows * width} (${width} classes).`,
        {},
      );
    }
    argmaxRows(scores, rows, width, out, start, { what, firstExample: start });
    target?.set(scores, start * width);
    report(b + 1, batches, start + rows);
  }
  return { width: width!, target };
}
