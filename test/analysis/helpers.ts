import fc from 'fast-check';
import { mulberry32 } from '../../src/random/mulberry32.js';
import { isPieAuditError } from '../../src/errors.js';

/** Label array in one of the container types users pass (typed arrays or plain arrays). */
export type LabelContainer = 'u8' | 'u16' | 'i32' | 'array';

export function toContainer(values: number[], kind: LabelContainer): ArrayLike<number> {
  switch (kind) {
    case 'u8':
      return Uint8Array.from(values);
    case 'u16':
      return Uint16Array.from(values);
    case 'i32':
      return Int32Array.from(values);
    default:
      return values.slice();
  }
}

/** A population: `nModels` label arrays of `nExamples` labels in [0, nClasses). */
export function populationArb(opts: { maxModels?: number; maxExamples?: number; minClasses?: number; maxClasses?: number } = {}) {
  const { maxModels = 9, maxExamples = 25, minClasses = 1, maxClasses = 6 } = opts;
  return fc
    .record({
      nModels: fc.integer({ min: 1, max: maxModels }),
      nExamples: fc.integer({ min: 0, max: maxExamples }),
      nClasses: fc.integer({ min: minClasses, max: maxClasses }),
      kind: fc.constantFrom<LabelContainer>('u8', 'u16', 'i32', 'array'),
    })
    .chain(({ nModels, nExamples, nClasses, kind }) =>
      fc
        .array(fc.array(fc.integer({ min: 0, max: nClasses - 1 }), { minLength: nExamples, maxLength: nExamples }), {
          minLength: nModels,
          maxLength: nModels,
        })
        .map((rows) => ({
          nClasses,
          rows,
          population: rows.map((r) => toContainer(r, nClasses > 255 && kind === 'u8' ? 'u16' : kind)),
        })),
    );
}

/** Reference modal label by direct counting. */
export function bruteModal(rows: number[][], nExamples: number, tieBreak: 'max' | 'min'): { labels: number[]; isTie: number[] } {
  const labels: number[] = [];
  const isTie: number[] = [];
  for (let i = 0; i < nExamples; i++) {
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row[i], (counts.get(row[i]) ?? 0) + 1);
    const top = Math.max(...counts.values());
    const tied = [...counts.entries()].filter(([, n]) => n === top).map(([label]) => label);
    labels.push(tieBreak === 'max' ? Math.max(...tied) : Math.min(...tied));
    isTie.push(tied.length > 1 ? 1 : 0);
  }
  return { labels, isTie };
}

/** Deterministic PRNG (mulberry32) for hand-rolled random data. */
export const rng = mulberry32;

/** The PieAuditError code `f` throws: 'other' for any other error, 'none' when it does not throw. */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isPieAuditError(e) ? e.code : 'other';
  }
  return 'none';
}
