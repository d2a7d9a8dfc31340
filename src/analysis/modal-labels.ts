import { PieAuditError } from '../errors.js';
import { assertClassCount, throwBadLabel } from './validate-labels.js';
import { assertPopulation } from './validate-population.js';

/** How a tie for the most frequent label is broken: the largest (`'max'`) or the smallest (`'min'`) tied label. */
import type { ModalTieBreak } from '../schema/vocabulary.js';

export type { ModalTieBreak } from '../schema/vocabulary.js';

/** Options of {@link modalLabels}. */
export interface ModalLabelsOptions {
  /**
   * Among labels tied for most frequent, keep the largest (`'max'`, default: the authors' code takes
   * `mode().max()`) or the smallest (`'min'`, what `scipy.stats.mode` and `np.argmax` over counts return).
   */
  tieBreak?: ModalTieBreak;
  /** Number of classes; labels must lie in `[0, nClasses)`. Inferred as (largest label + 1) when omitted, at the cost of one extra pass. */
  nClasses?: number;
  /** The argument's name used in error messages (default `population`). */
  name?: string;
}

/** Result of {@link modalLabels}. */
export interface ModalLabels {
  /** The modal (most frequent) label of each example across the models. `Uint16Array` when `nClasses <= 65536`, else `Int32Array`. */
  labels: Uint16Array | Int32Array;
  /** Number of examples whose most frequent label was tied (resolved by `tieBreak`). */
  ties: number;
  /** 1 where the example's modal label was a tie, else 0. */
  isTie: Uint8Array;
  /** The number of classes used (given or inferred). */
  nClasses: number;
  /** The number of models in the population. */
  nModels: number;
}

/** Largest class count handled with dense per-example counters; beyond it a per-example sort is used. */
const DENSE_CLASS_LIMIT = 1 << 22;
/** The argmax scans counter words while a row has at most this many words per model. */
const SCAN_WORDS_PER_MODEL = 4;
/** Target size in bytes of one block of counters: small enough to stay in the L1/L2 cache. */
const BLOCK_BYTES = 1 << 15;
const MAX_BLOCK = 1 << 16;

type Counts = Uint8Array | Uint16Array | Uint32Array;

/**
 * The modal label of every example over a population of models (Hooker et al. 2019: the
 * population's answer for an example is its most frequent predicted label).
 *
 * `population` holds one label array per model (`population[m][i]` = model m's label for example i);
 * `Uint8Array`, `Uint16Array`, `Int32Array` and `number[]` all work. Work is memory-bound: models are
 * streamed block by block into compact per-example class counters (`Uint8` counts for fewer than 256
 * models), followed by one argmax pass; nothing is allocated per example.
 *
 * @throws PieAuditError `EMPTY_POPULATION` (no models), `LENGTH_MISMATCH` (models label different numbers of
 *   examples), `LABEL_OUT_OF_RANGE` / `NON_FINITE` (a label that is not an integer in `[0, nClasses)`),
 *   `INVALID_ARGUMENT` (bad options)
 * @example
 * const { labels, ties } = modalLabels([
 *   Uint8Array.of(0, 1, 2),
 *   Uint8Array.of(0, 2, 1),
 *   Uint8Array.of(1, 2, 1),
 * ]);
 * // labels = Uint16Array [0, 2, 1], ties = 0
 * modalLabels([[3], [5]], { tieBreak: 'min' }).labels; // Uint16Array [3] (a tie; 'max' would give 5)
 */
export function modalLabels(population: readonly ArrayLike<number>[], options: ModalLabelsOptions = {}): ModalLabels {
  const name = options.name ?? 'population';
  const tieBreak = options.tieBreak ?? 'max';
  if (tieBreak !== 'max' && tieBreak !== 'min') {
    throw new PieAuditError('INVALID_ARGUMENT', `options.tieBreak must be 'max' or 'min'; got ${String(tieBreak)}.`, {
      name: 'options.tieBreak',
    });
  }
  const nExamples = assertPopulation(population, name);
  let nClasses = options.nClasses;
  if (nClasses === undefined) nClasses = inferClassCount(population, name);
  else assertClassCount(nClasses, 'options.nClasses');
  if (nClasses > 0x7fffffff) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.nClasses is ${nClasses}; at most 2^31 - 1 classes are supported.`, {
      name: 'options.nClasses',
    });
  }
  const nModels = population.length;
  const labels = nClasses <= 65536 ? new Uint16Array(nExamples) : new Int32Array(nExamples);
  const isTie = new Uint8Array(nExamples);
  const preferMax = tieBreak === 'max';
  let ties: number;
  if (nClasses > DENSE_CLASS_LIMIT) {
    ties = modalBySorting(population, nExamples, nClasses, preferMax, labels, isTie, name);
  } else {
    const bytes = nModels < 256 ? 1 : nModels < 65536 ? 2 : 4;
    // Each example's counters form a row padded to whole 32-bit words, so the argmax can skip four
    // (Uint8) or two (Uint16) empty counters with one test.
    const perWord = 4 / bytes;
    const stride = Math.ceil(nClasses / perWord) * perWord;
    const block = Math.max(1, Math.min(MAX_BLOCK, nExamples, Math.floor(BLOCK_BYTES / (stride * bytes))));
    const buffer = new ArrayBuffer(block * stride * bytes);
    const counts: Counts = bytes === 1 ? new Uint8Array(buffer) : bytes === 2 ? new Uint16Array(buffer) : new Uint32Array(buffer);
    const words = new Uint32Array(buffer);
    ties = 0;
    // Scan the counter words when a row has at most a few words per model; with far more classes than
    // models, revisit the block's labels instead so the argmax costs O(models) per example.
    const scan = stride / perWord <= Math.max(SCAN_WORDS_PER_MODEL * nModels, 16);
    const best = scan ? null : new Int32Array(block);
    const bestCount = scan ? null : new Uint32Array(block);
    const atMax = scan ? null : new Uint32Array(block);
    for (let start = 0; start < nExamples; start += block) {
      const end = Math.min(nExamples, start + block);
      countBlock(population, start, end, counts, nClasses, stride, name);
      if (scan) {
        ties += argmaxByScan(counts, words, start, end, stride, perWord, preferMax, labels, isTie);
      } else {
        ties += argmaxByLabels(
          population,
          start,
          end,
          counts,
          stride,
          preferMax,
          labels,
          isTie,
          best as Int32Array,
          bestCount as Uint32Array,
          atMax as Uint32Array,
        );
      }
    }
  }
  return { labels, ties, isTie, nClasses, nModels };
}

/** One pass over every label: validates it and returns (largest label + 1), at least 1. */
export function inferClassCount(population: readonly ArrayLike<number>[], name: string): number {
  let max = -1;
  for (let m = 0; m < population.length; m++) {
    const labels = population[m];
    for (let i = 0; i < labels.length; i++) {
      const v = labels[i];
      if (v >>> 0 !== v || v > 0x7ffffffe) throwBadLabel(v, i, undefined, `${name}[${m}]`);
      if (v > max) max = v;
    }
  }
  return Math.max(1, max + 1);
}

function countBlock(
  population: readonly ArrayLike<number>[],
  start: number,
  end: number,
  counts: Counts,
  nClasses: number,
  stride: number,
  name: string,
): void {
  // The model loop lives here, not in the caller: with many classes a block is a few dozen examples, and a
  // call per (model, block) would cost as much as the counting itself.
  for (let m = 0; m < population.length; m++) {
    const labels = population[m];
    for (let i = start, base = 0; i < end; i++, base += stride) {
      const v = labels[i];
      // `(v >>> 0) === v` holds exactly for integers in [0, 2^32): one test rejects NaN, negatives and fractions.
      if (v >>> 0 !== v || v >= nClasses) throwBadLabel(v, i, nClasses, `${name}[${m}]`);
      counts[base + v]++;
    }
  }
}

/**
 * Argmax of a block by revisiting its labels: the first visit of each (example, label) reads the label's
 * count and clears it, later visits see 0 and skip. Only distinct labels cost a comparison.
 */
function argmaxByLabels(
  population: readonly ArrayLike<number>[],
  start: number,
  end: number,
  counts: Counts,
  stride: number,
  preferMax: boolean,
  labels: Uint16Array | Int32Array,
  isTie: Uint8Array,
  best: Int32Array,
  bestCount: Uint32Array,
  atMax: Uint32Array,
): number {
  bestCount.fill(0);
  for (let m = 0; m < population.length; m++) {
    const row = population[m];
    for (let i = start, j = 0, base = 0; i < end; i++, j++, base += stride) {
      const v = row[i];
      const k = base + v;
      const n = counts[k];
      if (n === 0) continue;
      counts[k] = 0;
      const b = bestCount[j];
      if (n > b) {
        bestCount[j] = n;
        best[j] = v;
        atMax[j] = 1;
      } else if (n === b) {
        atMax[j]++;
        if (preferMax ? v > best[j] : v < best[j]) best[j] = v;
      }
    }
  }
  let ties = 0;
  for (let i = start, j = 0; i < end; i++, j++) {
    labels[i] = best[j];
    if (atMax[j] > 1) {
      isTie[i] = 1;
      ties++;
    }
  }
  return ties;
}

/**
 * Argmax of a block by scanning each example's counters in class order, one 32-bit word (four Uint8 or two
 * Uint16 counters) at a time: empty words cost one test. Clears the counters it reads.
 */
function argmaxByScan(
  counts: Counts,
  words: Uint32Array,
  start: number,
  end: number,
  stride: number,
  perWord: number,
  preferMax: boolean,
  labels: Uint16Array | Int32Array,
  isTie: Uint8Array,
): number {
  const wordsPerRow = stride / perWord;
  let ties = 0;
  for (let i = start, w0 = 0; i < end; i++, w0 += wordsPerRow) {
    let best = 0;
    let bestCount = 0;
    let atMax = 0;
    for (let w = 0; w < wordsPerRow; w++) {
      if (words[w0 + w] === 0) continue;
      const c0 = w * perWord;
      const k0 = (w0 + w) * perWord;
      for (let q = 0; q < perWord; q++) {
        const n = counts[k0 + q];
        if (n === 0) continue;
        if (n > bestCount) {
          bestCount = n;
          best = c0 + q;
          atMax = 1;
        } else if (n === bestCount) {
          atMax++;
          // Classes are visited in increasing order: a later tied class is the larger one.
          if (preferMax) best = c0 + q;
        }
      }
      words[w0 + w] = 0;
    }
    labels[i] = best;
    if (atMax > 1) {
      isTie[i] = 1;
      ties++;
    }
  }
  return ties;
}

/** Fallback for very many classes: sort each example's labels and take the longest run. */
function modalBySorting(
  population: readonly ArrayLike<number>[],
  nExamples: number,
  nClasses: number,
  preferMax: boolean,
  labels: Uint16Array | Int32Array,
  isTie: Uint8Array,
  name: string,
): number {
  const nModels = population.length;
  const scratch = new Int32Array(nModels);
  let ties = 0;
  for (let i = 0; i < nExamples; i++) {
    for (let m = 0; m < nModels; m++) {
      const v = population[m][i];
      if (v >>> 0 !== v || v >= nClasses) throwBadLabel(v, i, nClasses, `${name}[${m}]`);
      scratch[m] = v;
    }
    scratch.sort();
    let best = scratch[0];
    let bestCount = 0;
    let atMax = 0;
    for (let a = 0; a < nModels; ) {
      let b = a + 1;
      while (b < nModels && scratch[b] === scratch[a]) b++;
      const run = b - a;
      if (run > bestCount) {
        bestCount = run;
        best = scratch[a];
        atMax = 1;
      } else if (run === bestCount) {
        atMax++;
        if (preferMax) best = scratch[a];
      }
      a = b;
    }
    labels[i] = best;
    if (atMax > 1) {
      isTie[i] = 1;
      ties++;
    }
  }
  return ties;
}
