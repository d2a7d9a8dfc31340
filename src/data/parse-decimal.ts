const SPECIAL: ReadonlyMap<string, number> = new Map([
  ['nan', Number.NaN],
  ['+nan', Number.NaN],
  ['-nan', Number.NaN],
  ['inf', Number.POSITIVE_INFINITY],
  ['+inf', Number.POSITIVE_INFINITY],
  ['infinity', Number.POSITIVE_INFINITY],
  ['+infinity', Number.POSITIVE_INFINITY],
  ['-inf', Number.NEGATIVE_INFINITY],
  ['-infinity', Number.NEGATIVE_INFINITY],
]);

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Index just past a run of ASCII digits starting at `i`. */
function skipDigits(text: string, i: number): number {
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Parses a decimal number as CSV writers (NumPy, pandas, R) print it: an optional sign, digits with
 * an optional fraction (`1`, `1.`, `.5`, `1.5`), an optional exponent, or `nan` / `inf` / `infinity`
 * in any case. Returns `undefined` for anything else: hex (`0x10`), blanks, `1_000`. One pass over the
 * text, so a field of any length costs time linear in its length (no backtracking regular expression).
 *
 * @example
 * parseDecimal('-1.5e3'); // -1500
 * parseDecimal('0x10'); // undefined
 */
export function parseDecimal(text: string): number | undefined {
  const special = text.length <= 9 ? SPECIAL.get(text.toLowerCase()) : undefined;
  if (special !== undefined) return special;
  let i = 0;
  const sign = text.charCodeAt(0);
  if (sign === 0x2b || sign === 0x2d) i = 1;
  const intEnd = skipDigits(text, i);
  let digits = intEnd - i;
  i = intEnd;
  if (text.charCodeAt(i) === 0x2e) {
    const fracEnd = skipDigits(text, i + 1);
    digits += fracEnd - i - 1;
    i = fracEnd;
  }
  if (digits === 0) return undefined;
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    let j = i + 1;
    const s = text.charCodeAt(j);
    if (s === 0x2b || s === 0x2d) j++;
    const expEnd = skipDigits(text, j);
    if (expEnd === j) return undefined;
    i = expEnd;
  }
  return i === text.length ? Number(text) : undefined;
}
