import { join } from 'node:path';
import type { AuditReport, LevelReport } from '../../schema/index.js';
import { renderMarkdownFindings } from '../markdown.js';
import { writeFilesAtomic } from '../write-atomic.js';
import { fileVersionEvent, scalarsEvent, textEvent } from './event.js';
import { tfRecordFile } from './tfrecord.js';

/** What the steps of the scalar curves count. */
export type TensorBoardStepUnit = 'percent sparsity' | 'level index';

/**
 * The step of each level: its numeric level in percent (`0.9` -> 90) when every level is numeric and each gives a
 * distinct whole percent, so the curves read "against compression"; else the level's position in the report.
 */
export function tensorBoardSteps(levels: readonly LevelReport[]): { steps: number[]; unit: TensorBoardStepUnit } {
  const percents = levels.map((l) => (l.numericLevel === null ? Number.NaN : l.numericLevel * 100));
  const whole = percents.every((p) => Number.isFinite(p) && p >= 0 && Math.abs(p - Math.round(p)) < 1e-6);
  const rounded = percents.map((p) => Math.round(p));
  if (whole && new Set(rounded).size === rounded.length) return { steps: rounded, unit: 'percent sparsity' };
  return { steps: levels.map((_, i) => i), unit: 'level index' };
}

/** The scalars of one level that the report holds (absent or skipped values are left out, never written as 0). */
export function levelScalars(level: LevelReport): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  const put = (tag: string, value: number | null | undefined) => {
    if (typeof value === 'number' && Number.isFinite(value)) out.push([tag, value]);
  };
  if (level.accuracy.status === 'ok') {
    put('top1/mean', level.accuracy.mean);
    put('top1/drop', level.accuracy.top1Drop);
  }
  if (level.pies.status === 'ok') {
    put('pies/count', level.pies.count);
    put('pies/rate', level.pies.rate);
    put('pies/excess_over_noise_floor', level.pies.permutation?.excess);
    put('pies/excess_rate', level.pies.permutation?.excessRate);
  }
  if (level.classImpact.status === 'ok') put('classes/hurt', level.classImpact.hurtClasses.length);
  put('level/numeric', level.numericLevel);
  put('sparsity/mean', level.meanSparsity);
  put('size/gzipped_bytes', level.meanGzippedBytes);
  put('size/stored_weight_bytes', level.meanStoredWeightBytes);
  put('size/stored_bytes', level.meanStoredBytes);
  if (level.latency?.status === 'ok') {
    put('latency/batch1_ms_per_example', level.latency.batch1Ms);
    put('latency/batch_ms_per_example', level.latency.batchMs);
  }
  return out;
}

/**
 * Writes a report as a TensorBoard event file in `dir` (created if needed): one event per level with its scalars
 * (top-1, top-1 drop, PIE count and rate, excess over the noise floor, hurt classes, numeric level, sparsity,
 * stored/gzipped size and latency in ms per example when the report has them) at a step that is the level's sparsity in percent (or its index
 * when levels are not all numeric), and the Markdown findings as a text summary. The file is TensorBoard's own
 * format (TFRecord framing with masked CRC-32C around `Event` protos), named
 * `events.out.tfevents.<report time>.pie-audit`, and written atomically. Point `tensorboard --logdir` at `dir`.
 * Wall times are the report's `generatedAt`, so the same report writes the same bytes.
 *
 * @returns the path of the event file and what the steps count
 * @throws PieAuditError `IO_ERROR` when the folder cannot be written
 * @example
 * const report = await auditCompression(options);
 * await writeTensorBoard(report, 'runs/audit-1'); // then: tensorboard --logdir runs
 */
export async function writeTensorBoard(report: AuditReport, dir: string): Promise<{ path: string; stepUnit: TensorBoardStepUnit }> {
  const parsed = Date.parse(report.generatedAt);
  const wallTime = Number.isFinite(parsed) ? parsed / 1000 : 0;
  const { steps, unit } = tensorBoardSteps(report.levels);
  const records = [fileVersionEvent(wallTime)];
  report.levels.forEach((level, i) => {
    const scalars = levelScalars(level);
    if (scalars.length) records.push(scalarsEvent(wallTime, steps[i]!, scalars));
  });
  const stepNote =
    unit === 'percent sparsity'
      ? 'Steps are each level’s sparsity in percent.'
      : `Steps are the levels’ positions: ${report.levels.map((l, i) => `${i} = ${l.key}`).join(', ')}.`;
  records.push(textEvent(wallTime, 0, 'findings', `${renderMarkdownFindings(report)}\n\n${stepNote}`));
  const name = `events.out.tfevents.${Math.floor(wallTime)}.pie-audit`;
  await writeFilesAtomic(dir, { [name]: tfRecordFile(records) });
  return { path: join(dir, name), stepUnit: unit };
}
