import { createHash } from 'node:crypto';

/**
 * sha256 (hex) of the first `n` labels written as decimal integers, one per line, each line ending in `\n`: the
 * report's `testSet.labelsHash`, which `pie-audit diff` compares. The same labels give the same hash whatever array
 * held them, and `printf '%s\n' <labels> | sha256sum` gives it too.
 * @internal
 * @example
 * labelsHash([3, 1, 4], 3); // sha256 of '3\n1\n4\n'
 */
export function labelsHash(labels: ArrayLike<number>, n: number): string {
  const hash = createHash('sha256');
  // In chunks: a million labels never become one string.
  const chunk = 65536;
  for (let start = 0; start < n; start += chunk) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(n, start + chunk); i++) lines.push(`${labels[i]}\n`);
    hash.update(lines.join(''));
  }
  return hash.digest('hex');
}
