/**
 * `npm run bench`: runs every benchmark in turn (never concurrently: they compete for the same cores)
 * and each rewrites its own section of docs/benchmarks.md. Pass names to run a subset:
 * `npm run bench -- analysis evaluate`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const all = [
  'analysis',
  'noise-floor',
  'evaluate',
  'train',
  'train-step',
  'demo',
  'populations',
  'quantize',
  'population',
  'celeba-audit',
  'image-pipeline',
];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : all;

for (const name of names) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`bench: no benchmark named '${name}' (have: ${all.join(', ')})`);
    process.exitCode = 2;
    continue;
  }
  console.log(`\n=== bench ${name} ===`);
  const mod = (await import(pathToFileURL(file).href)) as { main?: () => Promise<void> };
  if (typeof mod.main !== 'function') throw new Error(`bench/${name}.ts must export main()`);
  await mod.main();
}
