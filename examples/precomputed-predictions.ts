/**
 * Audit predictions computed by another framework: no model runs here, only .npy files are read.
 *
 * examples/precomputed/ holds test-set predictions of 5 NumPy MLPs per sparsity level (0, 0.5, 0.8,
 * 0.95) on the UCI 8x8 digits, made by export_predictions.py (re-run it with
 * `/usr/bin/python3 examples/precomputed/export_predictions.py`). PyTorch, JAX or scikit-learn
 * users write the same files with `np.save('seed-1.npy', logits.argmax(1))`.
 *
 * Run: npx tsx examples/precomputed-predictions.ts [outDir]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditCompression, parseNpy, writeReports } from 'pie-audit';

const here = join(dirname(fileURLToPath(import.meta.url)), 'precomputed');
const out = process.argv[2] ?? 'pie-audit-precomputed';

const npy = (file: string) => parseNpy(readFileSync(file), file);
const labels = npy(join(here, 'labels.npy')).data as Int32Array;
const images = npy(join(here, 'images.npy'));

// One entry per level folder, each model a predictions file; levels sort numerically.
const population: Record<string, Array<{ predictionsFile: string }>> = {};
for (const level of readdirSync(join(here, 'preds')).sort((a, b) => Number(a) - Number(b))) {
  population[level] = readdirSync(join(here, 'preds', level))
    .sort()
    .map((file) => ({ predictionsFile: join(here, 'preds', level, file) }));
}

const report = await auditCompression({
  population,
  testSet: { labels, inputs: images.data as Float32Array, inputShape: [8, 8, 1] }, // inputs only feed the PIE thumbnails
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  gates: { maxPieRate: { 0.8: 0.1 }, maxSignificantlyHurtClasses: { 0.5: 0 } },
});

for (const level of report.levels) {
  if (level.pies.status !== 'ok') continue;
  const hurt = level.classImpact.status === 'ok' ? level.classImpact.hurtClasses.join(', ') || 'none' : level.classImpact.reason;
  const top1 = level.accuracy.status === 'ok' ? level.accuracy.mean.toFixed(3) : 'n/a';
  console.log(`level ${level.key}: top-1 ${top1}, ${level.pies.count} PIEs, significantly hurt classes: ${hurt}`);
}
console.log(`verdict: ${report.verdict}`);
await writeReports(report, out);
console.log(`reports written to ${out}/`);
