import type { AuditReport } from '../../schema/index.js';
import type { ServeModels } from './serve-models.js';

/** Test examples offered in the list (the first ones of the test set). */
export const MAX_EXAMPLES_LISTED = 1000;

const preprocessText = (p: NonNullable<ServeModels['preprocess']>) =>
  `${p.preset ?? 'explicit'}: resize ${p.resize} to ${Array.isArray(p.size) ? p.size.join(' x ') : p.size}${p.crop ? `, crop ${p.crop.join(' x ')}` : ''}, scale ${Math.abs(p.scale - 1 / 255) < 1e-12 ? '1/255' : p.scale}, mean ${p.mean.join('/')}, std ${p.std.join('/')}, ${p.layout}, ${p.channels} channel${p.channels === 1 ? '' : 's'}`;

/** What the page reads from /api/info. */
export interface PanelInfo {
  classNames: string[];
  canRun: boolean;
  /** Why the models cannot run, `null` when they can. */
  cannotRun: string | null;
  /** Whether an uploaded image can become a model input (the audit's test set was images). */
  canUpload: boolean;
  cannotUpload: string | null;
  [key: string]: unknown;
}

/**
 * What the page needs to draw the panel: classes, levels, what can run and on what, the test examples to pick (when
 * the models run) and the predictions the report recorded for its PIE exemplars (when they do not).
 *
 * @example
 * const info = panelInfo(report, models, 'no --config', 20 * 1024 * 1024);
 * info.canRun; // true when the models are loaded; info.canUpload when the audit's test set was images
 */
export function panelInfo(report: AuditReport, models: ServeModels | null, whyNot: string | undefined, maxUploadBytes: number): PanelInfo {
  const canRun = models !== null;
  const canUpload = models?.preprocess != null;
  const runtimes = models ? [...new Set(models.levels.flatMap((l) => l.models.map((m) => m.predictor.runtime)))].join(', ') : '';
  const recorded = new Map<number, { index: number; trueLabel: number | null; thumbnail: string | null; levels: unknown[] }>();
  for (const level of report.levels) {
    for (const e of level.exemplars) {
      const entry = recorded.get(e.index) ?? { index: e.index, trueLabel: e.trueLabel, thumbnail: e.thumbnail, levels: [] };
      if (entry.levels.length === 0)
        entry.levels.push({ key: report.baselineLevel, modal: e.baselineModal, agreement: e.baselineAgreement });
      entry.levels.push({ key: level.key, modal: e.compressedModal, agreement: e.compressedAgreement });
      recorded.set(e.index, entry);
    }
  }
  const examples = models?.examples;
  return {
    classNames: report.classNames,
    baselineLevel: report.baselineLevel,
    levels: report.levels.map((l) => ({ key: l.key, isBaseline: l.isBaseline, models: l.models.map((m) => m.id) })),
    tieBreak: report.config.tieBreak,
    canRun,
    cannotRun: canRun ? null : (whyNot ?? 'The models cannot run here.'),
    canUpload,
    cannotUpload: canUpload
      ? null
      : !canRun
        ? (whyNot ?? 'The models cannot run here.')
        : "The audit's test set was not images (the report records no image preprocessing), so an uploaded image cannot become a model input; pick a test example instead.",
    runtimes: models?.backend && runtimes.includes('tfjs') ? `${runtimes} (${models.backend} backend)` : runtimes,
    preprocessText: models?.preprocess ? preprocessText(models.preprocess) : null,
    maxUploadBytes,
    examples: Array.from({ length: Math.min(examples?.count ?? 0, MAX_EXAMPLES_LISTED) }, (_, index) => ({
      index,
      label: examples?.labels ? examples.labels[index] : null,
      image: examples?.imagePath(index) !== null,
    })),
    recorded: [...recorded.values()].sort((a, b) => a.index - b.index),
  };
}
