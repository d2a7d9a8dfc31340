import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The file of one of this folder's entry modules (`name` without extension), from sources (`src/distribute/*.ts`,
 * run through tsx) or from the built package (`dist/distribute/*.js`): workers and sandboxed processors
 * are started from a file path, which a bundler cannot rewrite.
 *
 * @example
 * distributeModule('demo-recipe'); // '/…/src/distribute/demo-recipe.ts'
 */
export function distributeModule(name: string): string {
  const here = fileURLToPath(import.meta.url);
  const source = join(dirname(here), `${name}.ts`);
  if (here.endsWith('.ts') && existsSync(source)) return source;
  let dir = dirname(here);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'distribute', `${name}.js`);
}
