import { PieAuditError } from '../errors.js';
import type { PermutationDesign } from './permutation-splits.js';

/** The design a caller asks for: `'auto'` pairs by member id when it can. */
export type NoiseFloorDesignChoice = PermutationDesign | 'auto';

/** Result of {@link resolveNoiseFloorDesign}. */
export interface ResolvedNoiseFloorDesign {
  design: PermutationDesign;
  /** `pairOf[p]`: index in the compressed population of the model paired with baseline model p (paired design only). */
  pairOf: Int32Array | null;
  /** Why this design was chosen (printable). */
  why: string;
}

/**
 * Chooses the permutation design of {@link pieNoiseFloor}. `'auto'` is `'paired'` when member ids are given for
 * both populations and the compressed ids are exactly the baseline ids (each once, in any order: compressed model
 * `seed-3` pairs with baseline model `seed-3`), and `'independent'` otherwise. An explicit `'paired'` pairs by id when
 * ids are given and by position otherwise.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` (ids of the wrong length or not unique, `'paired'` with ids that do not match, unknown design)
 * @example
 * resolveNoiseFloorDesign('auto', 2, 2, ['seed-0', 'seed-1'], ['seed-1', 'seed-0']).pairOf; // Int32Array [1, 0]
 */
export function resolveNoiseFloorDesign(
  choice: NoiseFloorDesignChoice,
  nBaseline: number,
  nCompressed: number,
  baselineIds: readonly string[] | undefined,
  compressedIds: readonly string[] | undefined,
): ResolvedNoiseFloorDesign {
  if (choice !== 'auto' && choice !== 'paired' && choice !== 'independent') {
    throw new PieAuditError('INVALID_ARGUMENT', `options.design must be 'auto', 'paired' or 'independent'; got ${String(choice)}.`, {
      name: 'options.design',
    });
  }
  const b = checkIds(baselineIds, nBaseline, 'options.baselineIds');
  const k = checkIds(compressedIds, nCompressed, 'options.compressedIds');
  if (choice === 'independent') return { design: 'independent', pairOf: null, why: 'design independent was requested' };
  const byId = b !== null && k !== null ? pairById(b, k) : null;
  if (choice === 'auto') {
    if (byId !== null) return { design: 'paired', pairOf: byId, why: 'the compressed models have exactly the baseline member ids' };
    const why =
      b === null || k === null ? 'no member ids were given for both populations' : 'the compressed member ids differ from the baseline ids';
    return { design: 'independent', pairOf: null, why };
  }
  if (b !== null && k !== null) {
    if (byId === null) {
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        "design 'paired' needs options.compressedIds to hold exactly the baseline member ids; they differ. Use design 'independent'.",
        { name: 'options.compressedIds' },
      );
    }
    return { design: 'paired', pairOf: byId, why: 'design paired was requested; models paired by member id' };
  }
  if (nBaseline !== nCompressed) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `design 'paired' needs as many compressed as baseline models; got ${nCompressed} and ${nBaseline}.`,
      { name: 'options.design' },
    );
  }
  return {
    design: 'paired',
    pairOf: Int32Array.from({ length: nBaseline }, (_, p) => p),
    why: 'design paired was requested; models paired by position',
  };
}

function checkIds(ids: readonly string[] | undefined, n: number, name: string): readonly string[] | null {
  if (ids === undefined) return null;
  if (!Array.isArray(ids) || ids.length !== n || ids.some((id) => typeof id !== 'string')) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `${name} must be an array of ${n} strings, one member id per model, in the population's order.`,
      { name },
    );
  }
  if (new Set(ids).size !== ids.length) {
    throw new PieAuditError('INVALID_ARGUMENT', `${name} repeats a member id; each model needs its own id (e.g. seed-0, seed-1).`, {
      name,
    });
  }
  return ids;
}

function pairById(baselineIds: readonly string[], compressedIds: readonly string[]): Int32Array | null {
  if (baselineIds.length !== compressedIds.length) return null;
  const position = new Map<string, number>();
  compressedIds.forEach((id, j) => position.set(id, j));
  const pairOf = new Int32Array(baselineIds.length);
  for (let p = 0; p < baselineIds.length; p++) {
    const j = position.get(baselineIds[p]);
    if (j === undefined) return null;
    pairOf[p] = j;
  }
  return pairOf;
}
