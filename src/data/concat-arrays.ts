/** A typed array kind that can be built with a length and filled with `set`. */
type Concatenable = Uint8Array | Uint16Array | Float32Array;

/**
 * Joins typed arrays of one kind, in order, into a new array of that kind.
 *
 * @example
 * concatArrays(Uint8Array, [Uint8Array.of(1, 2), Uint8Array.of(3)]); // Uint8Array [1, 2, 3]
 */
export function concatArrays<T extends Concatenable>(kind: { new (length: number): T }, parts: readonly T[]): T {
  const out = new kind(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p as never, offset);
    offset += p.length;
  }
  return out;
}
