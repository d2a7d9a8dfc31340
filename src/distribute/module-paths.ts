import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The file of an entry module (`name` without extension) of src/distribute or src/cli, from sources (`src/<folder>/*.ts`,
 * run through tsx) or from the built package (`dist/<folder>/*.js`): workers and sandboxed processors
 * are started from a file path, which a bundler cannot rewrite.
 *
 * @example
 * distributeModule('demo-recipe'); // '/…/src/distribute/demo-recipe.ts'
 */
export function distributeModule(name: string, folder: 'distribute' | 'cli' = 'distribute'): string {
  const here = fileURLToPath(import.meta.url);
  const source = join(dirname(here), '..', folder, `${name}.ts`);
  if (here.endsWith('.ts') && existsSync(source)) return source;
  let dir = dirname(here);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', folder, `${name}.js`);
}
