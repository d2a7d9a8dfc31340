import { PieAuditError } from '../errors.js';

/** Edit distance (insertions, deletions, substitutions; a swap of neighbours counts 1). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known key closest to `name` (case-insensitive edit distance at most a third of its length, at least 2),
 * or `null` when none is close: the "did you mean" of every unknown-key error.
 *
 * @example
 * closestKey('alpah', ['alpha', 'seed']); // 'alpha'
 * closestKey('zzz', ['alpha']);           // null
 */
export function closestKey(name: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const distance = editDistance(name.toLowerCase(), k.toLowerCase());
    if (distance < bestDistance) {
      best = k;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

/**
 * Throws a `CONFIG_ERROR` for the first own key of `value` not in `known`, naming it by its full path
 * (`prefix.key`) with a "did you mean" suggestion and the known keys. Used by the API options, the gate config
 * and the CLI's config file alike.
 *
 * @throws PieAuditError `CONFIG_ERROR` with `details.key` the full path of the unknown key
 * @example
 * assertKnownKeys({ alpah: 0.1 }, ['alpha', 'seed'], ''); // throws "alpah: unknown option; did you mean 'alpha'? ..."
 */
export function assertKnownKeys(value: object, known: readonly string[], prefix: string, what = 'option'): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const guess = closestKey(key, known);
    const hint = guess === null ? '' : ` did you mean '${guess}'?`;
    throw new PieAuditError('CONFIG_ERROR', `${path}: unknown ${what};${hint} known: ${known.join(', ')}.`, {
      key: path,
      ...(guess ? { suggestion: guess } : {}),
    });
  }
}
