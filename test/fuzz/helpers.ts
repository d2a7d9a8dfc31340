import fc from 'fast-check';
import { isPieAuditError } from '../../src/errors.js';

/** Every fuzz property runs under this seed, so a failure reproduces. */
export const FUZZ_SEED = 20_261_201;

/** Values a mutation puts anywhere: wrong types, edge numbers, injection text, prototype keys. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    true,
    0,
    -1,
    1.5,
    1e308,
    -0,
    '',
    '0',
    'NaN',
    '__proto__',
    'constructor',
    '<script>x</script>',
    '=1+1',
    [],
    {},
    [null],
    { length: 3 },
  ),
  fc.integer({ min: -3, max: 70_000 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 8 }),
  fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 4 }),
);

/** A dotted path into a JSON-like value, chosen by `pick` (a fraction per level). */
export function pathsOf(
  value: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  out.push(prefix);
  if (out.length > 5000) return out;
  if (Array.isArray(value)) {
    for (const [i, v] of value.slice(0, 6).entries()) pathsOf(v, [...prefix, i], out);
  } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

/** A deep copy of `value` with the value at `path` replaced (or deleted, for `undefined`). */
export function mutateAt<T>(value: T, path: Array<string | number>, next: unknown): T {
  const copy = structuredClone(value) as unknown as Record<string | number, unknown>;
  if (path.length === 0) return next as T;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (next === undefined) delete node[last];
  else node[last] = next;
  return copy as unknown as T;
}

/** The fuzz oracle: anything thrown must be a PieAuditError with a code. */
export async function typedOrValue<T>(run: () => T | Promise<T>): Promise<{ value?: T; code?: string }> {
  try {
    return { value: await run() };
  } catch (e) {
    if (isPieAuditError(e) && typeof e.code === 'string') return { code: e.code };
    throw new Error(`untyped failure: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`, { cause: e });
  }
}

/** Paths of numbers that are not finite, and of undefined values, anywhere in `value`. */
export function nonFinitePaths(value: unknown, at = ''): string[] {
  if (value === undefined) return [at];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinitePaths(v, `${at}[${i}]`));
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value))
    return Object.entries(value).flatMap(([k, v]) => nonFinitePaths(v, `${at}.${k}`));
  return [];
}
