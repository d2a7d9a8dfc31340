import type { BootstrapMemo } from './bootstrap-memo.js';
import { groupSlotLayout } from './group-slot-layout.js';
import type { ModalTieBreak } from './modal-labels.js';
import { contestedVotes, WeightedVotes, type ContestedVotes } from './population-votes.js';
import type { GroupIndex } from './subgroup-error-rates.js';

/*
 * One set of weighted sums. The all-examples cell and every group's cell hold, per side (negatives at NEG,
 * positives at POS; every example is a negative without a positive class): the examples' weight, then the
 * baseline's and the compressed population's rate errors (weighted counts of models predicting the positive class on
 * a negative, another class on a positive); then the PIEs. After the all-examples cell: models correct per
 * population, then per class its weight and models correct per population. Model quantities are whole model counts
 * (shares times population size), so every sum is exact and sums can be split and added back without rounding.
 */
export const NEG = 0;
export const POS = 3;
export const PIE = 6;
export const WIDTH = 7;
export const CORRECT_AT = WIDTH;
export const CLASSES_AT = CORRECT_AT + 2;

/** What {@link LevelSums} reads: both populations, labels (`null`: none), classes, attributes, positive class. */
export interface LevelSumsInput {
  labels: ArrayLike<number> | null;
  classes: number;
  nClasses: number;
  baseline: readonly Uint16Array[];
  compressed: readonly Uint16Array[];
  tieBreak: ModalTieBreak;
  indices: readonly GroupIndex[];
  positive: number | null;
}

/** Where a level keeps the baseline's per-resample sums for the next levels, and the name that pins what they were drawn from. */
export interface BaselineMemo {
  memo: BootstrapMemo;
  key: string;
}

/** One population at one example under some model weights: modal label, models correct, rate errors. */
interface Votes {
  modal: number;
  correct: number;
  error: number;
}

/** One population: its votes by disagreement, their tally, and per model and fixed half its own sums (see `halfSums`). */
interface Population {
  predictions: readonly Uint16Array[];
  votes: ContestedVotes;
  tally: WeightedVotes;
  /** Field of its errors after the side, of its hits in the all-examples and class cells. */
  errorField: number;
  correctField: number;
  halves: Array<Array<{ at: Int32Array; value: Float64Array }>>;
}

/**
 * Each attribute's cells in the sums (a value's, and its missing values' in the all-examples slot of
 * {@link groupSlotLayout}), with the largest one left out of the per-example lists: `exBase[exStart[i]..exStart[i + 1]]`
 * are the cells example i adds to. `complete` sets the left-out cell from the all-examples cell minus the others,
 * exact because the sums are whole numbers: an attribute then costs each resample only its smaller cells' examples.
 */
function groupCells(indices: readonly GroupIndex[], n: number, groupsAt: number) {
  const slots = groupSlotLayout(indices, n, WIDTH);
  const A = indices.length;
  const cellsOf = indices.map((index, a) => [
    ...Array.from({ length: index.values.length }, (_, g) => slots.offset[a] + g * WIDTH),
    slots.allOffset[a],
  ]);
  const dropped = indices.map((index, a) => {
    const sizes = new Int32Array(index.values.length + 1);
    for (let i = 0; i < n; i++) sizes[index.codes[i] < 0 ? index.values.length : index.codes[i]]++;
    return cellsOf[a][sizes.indexOf(Math.max(...sizes))];
  });
  const exStart = new Int32Array(n + 1);
  const bases: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < A; a++) {
      const at = slots.at[i * A + a];
      const cell = at < 0 ? slots.allOffset[a] : at;
      if (cell !== dropped[a]) bases.push(groupsAt + cell);
    }
    exStart[i + 1] = bases.length;
  }
  const complete = (sums: Float64Array) => {
    for (let a = 0; a < A; a++) {
      const d = groupsAt + dropped[a];
      for (let f = 0; f < WIDTH; f++) {
        let rest = sums[f];
        for (const cell of cellsOf[a]) if (groupsAt + cell !== d) rest -= sums[groupsAt + cell + f];
        sums[d + f] = rest;
      }
    }
  };
  return { offset: slots.offset, size: groupsAt + slots.size, exStart, exBase: Int32Array.from(bases), complete };
}

/**
 * The weighted sums of a level's two-level bootstrap (layout above): with every model once under any example
 * weights, and each resample's differences of the drawn models from every model once. Those differences live only
 * on the examples where a population's models disagree; over a fixed half they are linear in the model weights, so
 * they come from per-model sums (`halfSums`) without visiting examples. PIEs are not linear in the model weights:
 * theirs are summed where they change.
 * @internal
 * @example
 * const sums = new LevelSums({ labels, classes: 2, nClasses: 2, baseline, compressed, tieBreak: 'max', indices: [], positive: 1 });
 * const everyModelOnce = new Float64Array(sums.size);
 * sums.baselineExamples(examples, everyModelOnce);
 * sums.levelExamples(examples, everyModelOnce);
 * sums.complete(everyModelOnce); // every group cell filled in
 */
export class LevelSums {
  readonly size: number;
  readonly groupOffset: Int32Array;
  readonly complete: (sums: Float64Array) => void;
  private readonly n: number;
  private readonly labels: Int32Array | null;
  private readonly positive: number | null;
  private readonly classSlot: Int32Array;
  private readonly exStart: Int32Array;
  private readonly exBase: Int32Array;
  private readonly b: Population;
  private readonly k: Population;
  /** The contested examples of either population, with their place in each population's list (-1: unanimous there). */
  private readonly union: Int32Array;
  private readonly atB: Int32Array;
  private readonly atK: Int32Array;
  /** Per example with every model once: side, rate errors and hits per population, PIE flag. */
  private readonly side: Uint8Array;
  private readonly errorB: Float64Array;
  private readonly errorK: Float64Array;
  private readonly correctB: Float64Array;
  private readonly correctK: Float64Array;
  private readonly pie: Uint8Array;
  private readonly vb: Votes = { modal: 0, correct: 0, error: 0 };
  private readonly vk: Votes = { modal: 0, correct: 0, error: 0 };

  constructor(input: LevelSumsInput) {
    const { baseline, compressed, tieBreak, nClasses, classes, positive } = input;
    const n = baseline[0].length;
    this.n = n;
    // One element type for the hot loops, whatever array the labels came in.
    const labels = input.labels ? Int32Array.from(input.labels) : null;
    this.labels = labels;
    this.positive = positive;
    const groupsAt = CLASSES_AT + 3 * classes;
    const cells = groupCells(input.indices, n, groupsAt);
    this.size = cells.size;
    this.groupOffset = cells.offset;
    this.complete = cells.complete;
    this.exStart = cells.exStart;
    this.exBase = cells.exBase;
    this.classSlot = Int32Array.from({ length: n }, (_, i) =>
      labels && labels[i] >= 0 && labels[i] < classes ? CLASSES_AT + 3 * labels[i] : -1,
    );
    const population = (predictions: readonly Uint16Array[], field: number): Population => {
      const votes = contestedVotes(predictions, tieBreak, nClasses);
      return {
        predictions,
        votes,
        tally: new WeightedVotes(votes, tieBreak, nClasses),
        errorField: field,
        correctField: field,
        halves: [],
      };
    };
    this.b = population(baseline, 1);
    this.k = population(compressed, 2);
    const union: number[] = [];
    const atB: number[] = [];
    const atK: number[] = [];
    const cb = this.b.votes.contested;
    const ck = this.k.votes.contested;
    for (let b = 0, k = 0; b < cb.length || k < ck.length; ) {
      const i = Math.min(b < cb.length ? cb[b] : n, k < ck.length ? ck[k] : n);
      union.push(i);
      atB.push(cb[b] === i ? b++ : -1);
      atK.push(ck[k] === i ? k++ : -1);
    }
    this.union = Int32Array.from(union);
    this.atB = Int32Array.from(atB);
    this.atK = Int32Array.from(atK);
    this.side = Uint8Array.from({ length: n }, (_, i) => (positive !== null && labels![i] === positive ? POS : NEG));
    this.errorB = new Float64Array(n);
    this.errorK = new Float64Array(n);
    this.correctB = new Float64Array(n);
    this.correctK = new Float64Array(n);
    this.pie = new Uint8Array(n);
    this.everyModelValues();
  }

  /** Per example, the values of every model once (contested examples tallied, the rest from their plural label). */
  private everyModelValues(): void {
    const { vb, vk, union, n } = this;
    const onesB = new Float64Array(this.b.predictions.length).fill(1);
    const onesK = new Float64Array(this.k.predictions.length).fill(1);
    for (let i = 0, u = 0; i < n; i++) {
      const contested = u < union.length && union[u] === i;
      this.votesAt(this.b, contested ? this.atB[u] : -1, i, onesB, vb);
      this.votesAt(this.k, contested ? this.atK[u] : -1, i, onesK, vk);
      if (contested) u++;
      this.correctB[i] = vb.correct;
      this.correctK[i] = vk.correct;
      this.errorB[i] = vb.error;
      this.errorK[i] = vk.error;
      this.pie[i] = vb.modal !== vk.modal ? 1 : 0;
    }
  }

  /** Votes of a population at example i: contested (`c` >= 0, tallied under `weights`) or unanimous. */
  private votesAt(population: Population, c: number, i: number, weights: Float64Array, out: Votes): void {
    const { labels, positive } = this;
    const y = labels ? labels[i] : -1;
    const total = population.predictions.length;
    let predictsPositive: number;
    if (c >= 0) {
      const tally = population.tally;
      tally.tally(c, weights, total);
      out.modal = tally.modal;
      out.correct = labels ? tally.weightOf(y) : 0;
      predictsPositive = positive === null ? 0 : tally.weightOf(positive);
    } else {
      const plural = population.votes.plural[i];
      out.modal = plural;
      out.correct = plural === y ? total : 0;
      predictsPositive = plural === positive ? total : 0;
    }
    out.error = positive === null ? 0 : this.side[i] === POS ? total - predictsPositive : predictsPositive;
  }

  /** Adds the baseline's part of the sums with every model once under example weights `w`: the examples' weights, its errors and hits. */
  baselineExamples(w: Float64Array, sums: Float64Array): void {
    const { n, side: sideAt, errorB, correctB, classSlot, exStart, exBase } = this;
    const labelled = this.labels !== null;
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const side = sideAt[i];
      const error = errorB[i];
      sums[side] += wi;
      sums[side + 1] += wi * error;
      if (labelled) {
        sums[CORRECT_AT] += wi * correctB[i];
        const c = classSlot[i];
        if (c >= 0) {
          sums[c] += wi;
          sums[c + 1] += wi * correctB[i];
        }
      }
      if (error === 0) for (let e = exStart[i]; e < exStart[i + 1]; e++) sums[exBase[e] + side] += wi;
      else
        for (let e = exStart[i]; e < exStart[i + 1]; e++) {
          sums[exBase[e] + side] += wi;
          sums[exBase[e] + side + 1] += wi * error;
        }
    }
  }

  /** Adds the compressed population's part of the sums with every model once: its errors and hits, and the PIEs. */
  levelExamples(w: Float64Array, sums: Float64Array): void {
    const { n, side: sideAt, errorK, correctK, pie: pieAt, classSlot, exStart, exBase } = this;
    const labelled = this.labels !== null;
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      if (labelled) {
        sums[CORRECT_AT + 1] += wi * correctK[i];
        const c = classSlot[i];
        if (c >= 0) sums[c + 2] += wi * correctK[i];
      }
      const error = errorK[i];
      const pie = pieAt[i];
      if (error === 0 && pie === 0) continue;
      const side = sideAt[i];
      sums[side + 2] += wi * error;
      sums[PIE] += wi * pie;
      for (let e = exStart[i]; e < exStart[i + 1]; e++) {
        sums[exBase[e] + side + 2] += wi * error;
        sums[exBase[e] + PIE] += wi * pie;
      }
    }
  }

  /** Adds how the drawn baseline models' errors and hits differ from every model once, weighted by the drawn examples. */
  baselineDifferences(w: Float64Array, wb: Float64Array, full: Float64Array): void {
    const { vb, exStart, exBase } = this;
    const contested = this.b.votes.contested;
    for (let c = 0; c < contested.length; c++) {
      const i = contested[c];
      const wi = w[i];
      if (wi === 0) continue;
      this.votesAt(this.b, c, i, wb, vb);
      this.addDifference(full, i, wi, this.side[i] + 1, vb.error - this.errorB[i], CORRECT_AT, 1, vb.correct - this.correctB[i]);
      const weighted = wi * (vb.error - this.errorB[i]);
      if (weighted === 0) continue;
      const field = this.side[i] + 1;
      for (let e = exStart[i]; e < exStart[i + 1]; e++) full[exBase[e] + field] += weighted;
    }
  }

  /** Adds a difference of errors and hits to the all-examples and class cells. */
  private addDifference(
    sums: Float64Array,
    i: number,
    wi: number,
    field: number,
    error: number,
    correctAt: number,
    classField: number,
    correct: number,
  ) {
    sums[field] += wi * error;
    if (correct === 0) return;
    sums[correctAt] += wi * correct;
    const c = this.classSlot[i];
    if (c >= 0) sums[c + classField] += wi * correct;
  }

  /**
   * The same for the compressed population (`full` only), and the PIEs' differences, which both populations' drawn
   * models set, into `full` and per fixed half.
   */
  levelDifferences(
    w: Float64Array,
    wb: Float64Array,
    wk: Float64Array,
    halves: readonly Float64Array[],
    full: Float64Array,
    perHalf: Float64Array[],
  ): void {
    const { vk, union, atB, atK, exStart, exBase } = this;
    const pluralB = this.b.votes.plural;
    const pluralK = this.k.votes.plural;
    for (let u = 0; u < union.length; u++) {
      const i = union[u];
      let modalB = pluralB[i];
      if (atB[u] >= 0) {
        this.b.tally.tally(atB[u], wb, wb.length);
        modalB = this.b.tally.modal;
      }
      const wi = w[i];
      let modalK = pluralK[i];
      if (atK[u] >= 0) {
        this.votesAt(this.k, atK[u], i, wk, vk);
        modalK = vk.modal;
        const error = vk.error - this.errorK[i];
        if (wi !== 0) {
          const field = this.side[i] + 2;
          this.addDifference(full, i, wi, field, error, CORRECT_AT + 1, 2, vk.correct - this.correctK[i]);
          const weighted = wi * error;
          if (weighted !== 0) for (let e = exStart[i]; e < exStart[i + 1]; e++) full[exBase[e] + field] += weighted;
        }
      }
      const pie = (modalB !== modalK ? 1 : 0) - this.pie[i];
      if (pie === 0) continue;
      const half = halves[0][i] === 1 ? perHalf[0] : perHalf[1];
      full[PIE] += wi * pie;
      half[PIE] += pie;
      for (let e = exStart[i]; e < exStart[i + 1]; e++) {
        full[exBase[e] + PIE] += wi * pie;
        half[exBase[e] + PIE] += pie;
      }
    }
  }

  /** Adds the drawn baseline models' differences over each fixed half: sum_m (wb_m - 1) times model m's own sums. */
  baselineHalfDifferences(wb: Float64Array, halves: readonly Float64Array[], perHalf: Float64Array[]): void {
    this.addHalfDifferences(this.b, wb, halves, perHalf);
  }

  /** The same for the compressed population. */
  levelHalfDifferences(wk: Float64Array, halves: readonly Float64Array[], perHalf: Float64Array[]): void {
    this.addHalfDifferences(this.k, wk, halves, perHalf);
  }

  private addHalfDifferences(
    population: Population,
    weights: Float64Array,
    halves: readonly Float64Array[],
    perHalf: Float64Array[],
  ): void {
    if (population.halves.length === 0)
      population.halves = population.predictions.map((p) => halves.map((h) => this.halfSums(population, p, h)));
    population.halves.forEach((ofModel, m) => {
      const d = weights[m] - 1;
      if (d === 0) return;
      for (let h = 0; h < 2; h++) {
        const { at, value } = ofModel[h];
        const target = perHalf[h];
        for (let j = 0; j < at.length; j++) target[at[j]] += d * value[j];
      }
    });
  }

  /**
   * One model's own errors and hits summed over a fixed half, as (index, value) pairs of the non-zero sums: a
   * population's sums over the half under model weights w are sum_m w_m times these.
   */
  private halfSums(population: Population, predictions: Uint16Array, half: Float64Array): { at: Int32Array; value: Float64Array } {
    const { labels, positive, exStart, exBase, classSlot } = this;
    const sums = new Float64Array(this.size);
    for (let i = 0; i < this.n; i++) {
      if (half[i] === 0) continue;
      const side = this.side[i];
      if (labels && predictions[i] === labels[i]) {
        sums[CORRECT_AT + population.correctField - 1] += 1;
        if (classSlot[i] >= 0) sums[classSlot[i] + population.correctField] += 1;
      }
      if (positive === null || (predictions[i] === positive) === (side === POS)) continue;
      const field = side + population.errorField;
      sums[field] += 1;
      for (let e = exStart[i]; e < exStart[i + 1]; e++) sums[exBase[e] + field] += 1;
    }
    const at: number[] = [];
    sums.forEach((v, s) => v !== 0 && at.push(s));
    return { at: Int32Array.from(at), value: Float64Array.from(at, (s) => sums[s]) };
  }
}
