import { modalLabels } from '../../analysis/modal-labels.js';
import { argmaxRows } from '../../evaluate/argmax-rows.js';
import type { ModalTieBreak } from '../../schema/vocabulary.js';
import type { ServeModel } from './serve-models.js';

/** What one model says about one input. */
export interface ModelPrediction {
  id: string;
  /** Runtime that computed it (`tfjs`, `onnx`). */
  runtime: string;
  /** Top-1 class (ties to the lowest index, as the audit). */
  label: number;
  /** The model's output row: its class probabilities when it ends with a softmax, as the audit reads them. */
  probabilities: number[];
}

/** What one level's population says about one input. */
export interface LevelPrediction {
  key: string;
  models: ModelPrediction[];
  /** The most frequent top-1 label over the level's models, ties broken by the audit's `tieBreak`. */
  modal: number;
  /** Whether the modal label was a tie. */
  modalTie: boolean;
  /** Share of the level's models voting for `modal`. */
  agreement: number;
  /** Mean of the models' output rows. */
  meanProbabilities: number[];
}

/**
 * Runs one model input through every level's models: per model its top label and output row, per level the modal
 * label (the audit's tie rule) and the mean output row.
 *
 * @throws PieAuditError from a model (`NON_FINITE` output, shape mismatch)
 * @example
 * const levels = await predictLevels(models.levels, input, 'max');
 * levels[1].modal; // the compressed level's modal class
 */
export async function predictLevels(
  levels: ReadonlyArray<{ key: string; models: readonly ServeModel[] }>,
  input: Float32Array,
  tieBreak: ModalTieBreak,
): Promise<LevelPrediction[]> {
  const out: LevelPrediction[] = [];
  for (const level of levels) {
    const models: ModelPrediction[] = [];
    for (const model of level.models) {
      const row = await model.predictor.predict(input, 1);
      const label = new Uint16Array(1);
      argmaxRows(row, 1, row.length, label, 0, { what: model.id, firstExample: 0 });
      models.push({ id: model.id, runtime: model.predictor.runtime, label: label[0], probabilities: Array.from(row) });
    }
    const nClasses = Math.max(...models.map((m) => m.probabilities.length));
    const modal = modalLabels(
      models.map((m) => [m.label]),
      { tieBreak, nClasses },
    );
    const meanProbabilities = Array.from(
      { length: nClasses },
      (_, c) => models.reduce((s, m) => s + (m.probabilities[c] ?? 0), 0) / models.length,
    );
    const label = modal.labels[0];
    out.push({
      key: level.key,
      models,
      modal: label,
      modalTie: modal.isTie[0] === 1,
      agreement: models.filter((m) => m.label === label).length / models.length,
      meanProbabilities,
    });
  }
  return out;
}
