import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `docs/` folder of this pie-audit installation (shipped in the npm package), found next to the
 * package.json named `pie-audit` above this module (src/cli/ under tsx; dist/ or dist/cli/ when built).
 * Shown relative to the working directory when that is shorter, e.g. `node_modules/pie-audit/docs`.
 *
 * @example
 * docsDir(); // 'node_modules/pie-audit/docs' in a project that installed pie-audit
 */
export function docsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name !== 'pie-audit') continue;
    } catch {
      continue;
    }
    const docs = join(dir, 'docs');
    const shown = relative(process.cwd(), docs);
    return shown.length < docs.length && !shown.startsWith('../../..') ? shown || '.' : docs;
  }
  return 'docs';
}
