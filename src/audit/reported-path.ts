import { isAbsolute, relative, sep } from 'node:path';

/**
 * A model path as a report may store it, without the folders of the machine that wrote it: a relative path
 * unchanged; an absolute one relative to the working folder when it lies inside it, else its last three
 * segments (`<level>/<model>/model.json` or `preds/<level>/<file>`, enough to name and pair the model; the
 * member's `contentHash` identifies it). Separators are `/` on every platform.
 * @internal
 * @example
 * reportedPath('/home/ana/audit/preds/0.9/seed-3.npy', '/home/ana/audit'); // 'preds/0.9/seed-3.npy'
 * reportedPath('/data/run-7/preds/0.9/seed-3.npy', '/home/ana/audit');     // 'preds/0.9/seed-3.npy'
 */
export function reportedPath(path: string, cwd: string = process.cwd()): string {
  if (!isAbsolute(path)) return path.split(sep).join('/');
  const inside = relative(cwd, path);
  if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) return inside.split(sep).join('/');
  return path
    .split(/[\\/]+/)
    .filter((p) => p !== '')
    .slice(-3)
    .join('/');
}
