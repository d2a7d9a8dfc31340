import type { ModalTieBreak } from './modal-labels.js';

/**
 * One population's predictions stored by disagreement: per example the modal label of every model once
 * (`plural`), and for the examples where the models disagree (`contested`, ascending) the models that predict
 * something else, as (model, label) entries `start[c]..start[c + 1]`. Where every model agrees, no weighting of
 * the models changes the modal label or any share, so a resample only revisits the contested examples.
 */
export interface ContestedVotes {
  plural: Uint16Array;
  contested: Int32Array;
  start: Int32Array;
  model: Int32Array;
  label: Uint16Array;
}

/**
 * The {@link ContestedVotes} of `predictions` (one array per model), the plural label chosen with `tieBreak`.
 * @internal
 * @example
 * const votes = contestedVotes([Uint16Array.of(0, 1), Uint16Array.of(0, 0), Uint16Array.of(0, 1)], 'max', 2);
 * Array.from(votes.contested); // [1]: only example 1 has a dissenting model (model 1 predicts 0)
 */
export function contestedVotes(predictions: readonly Uint16Array[], tieBreak: ModalTieBreak, nClasses: number): ContestedVotes {
  const n = predictions[0].length;
  let most = nClasses;
  for (const p of predictions) for (let i = 0; i < n; i++) most = Math.max(most, p[i] + 1);
  const counts = new Int32Array(most);
  const plural = new Uint16Array(n);
  const contested: number[] = [];
  const start: number[] = [0];
  const model: number[] = [];
  const label: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestCount = 0;
    for (let m = 0; m < predictions.length; m++) {
      const y = predictions[m][i];
      const c = ++counts[y];
      if (c > bestCount || (c === bestCount && (tieBreak === 'max' ? y > best : y < best))) {
        best = y;
        bestCount = c;
      }
    }
    for (let m = 0; m < predictions.length; m++) counts[predictions[m][i]] = 0;
    plural[i] = best;
    if (bestCount === predictions.length) continue;
    contested.push(i);
    for (let m = 0; m < predictions.length; m++) {
      if (predictions[m][i] === best) continue;
      model.push(m);
      label.push(predictions[m][i]);
    }
    start.push(model.length);
  }
  return {
    plural,
    contested: Int32Array.from(contested),
    start: Int32Array.from(start),
    model: Int32Array.from(model),
    label: Uint16Array.from(label),
  };
}

/**
 * Weighted votes of one contested example under integer model weights: its modal label (with the tie rule) and
 * how much weight predicts a given label. Weights are whole multiplicities, so every count is exact and the result
 * does not depend on the order models are visited in.
 * @internal
 * @example
 * const votes = new WeightedVotes(contestedVotes(predictions, 'max', 2), 'max', 2);
 * votes.tally(0, Float64Array.of(2, 0, 1), 3);
 * votes.modal; // the modal label of the first contested example with model 0 drawn twice and model 1 not at all
 */
export class WeightedVotes {
  /** Modal label after {@link WeightedVotes.tally}. */
  modal = -1;
  private readonly counts: Float64Array;
  private readonly stamp: Int32Array;
  private current = 0;
  private plural = 0;
  private pluralCount = 0;

  constructor(
    private readonly votes: ContestedVotes,
    private readonly tieBreak: ModalTieBreak,
    nClasses: number,
  ) {
    let most = nClasses;
    for (const y of votes.label) most = Math.max(most, y + 1);
    for (const y of votes.plural) most = Math.max(most, y + 1);
    this.counts = new Float64Array(most);
    this.stamp = new Int32Array(most);
  }

  /** Counts the votes of contested example `c` (an index into `contested`) under `weights`, which sum to `total`. */
  tally(c: number, weights: Float64Array, total: number): void {
    const { start, model, label, plural, contested } = this.votes;
    if (this.current >= 0x3fffffff) {
      this.stamp.fill(0);
      this.current = 0;
    }
    const now = ++this.current;
    const { counts, stamp } = this;
    let dissent = 0;
    for (let e = start[c]; e < start[c + 1]; e++) {
      const w = weights[model[e]];
      if (w === 0) continue;
      const y = label[e];
      counts[y] = stamp[y] === now ? counts[y] + w : w;
      stamp[y] = now;
      dissent += w;
    }
    const p = plural[contested[c]];
    this.plural = p;
    this.pluralCount = total - dissent;
    if (this.pluralCount > dissent) {
      // A majority: no other label can reach it.
      this.modal = p;
      return;
    }
    let best = this.pluralCount > 0 ? p : -1;
    let bestCount = this.pluralCount;
    const preferMax = this.tieBreak === 'max';
    for (let e = start[c]; e < start[c + 1]; e++) {
      const y = label[e];
      if (stamp[y] !== now) continue;
      const count = counts[y];
      if (count > bestCount || (count === bestCount && (preferMax ? y > best : y < best))) {
        best = y;
        bestCount = count;
      }
    }
    this.modal = best;
  }

  /** Weight predicting `y` in the last tallied example. */
  weightOf(y: number): number {
    if (y === this.plural) return this.pluralCount;
    return y >= 0 && y < this.stamp.length && this.stamp[y] === this.current ? this.counts[y] : 0;
  }
}
