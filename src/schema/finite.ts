/**
 * A finite number, or `null` for anything else (undefined, NaN, Infinity): the report's rule that it
 * never holds NaN or Infinity, in one place.
 *
 * @example
 * finiteOrNull(NaN); // null
 * finiteOrNull(0.25); // 0.25
 */
export function finiteOrNull(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** `T` with every numeric field also allowed to be `null`. */
export type NullableNumbers<T> = { [K in keyof T]: T[K] extends number ? number | null : T[K] };

/**
 * A shallow copy of `row` in which every non-finite number field becomes `null`, so an analysis row
 * can enter a report unchanged apart from the values JSON cannot hold.
 *
 * @example
 * withFiniteNumbers({ oddsRatio: Infinity, p: 0.01 }); // { oddsRatio: null, p: 0.01 }
 */
export function withFiniteNumbers<T extends object>(row: T): T {
  const out = { ...row } as Record<string, unknown>;
  for (const [key, value] of Object.entries(out)) if (typeof value === 'number' && !Number.isFinite(value)) out[key] = null;
  return out as T;
}
