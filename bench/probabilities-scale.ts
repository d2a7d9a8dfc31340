/**
 * Probabilities at ImageNet scale (a one-off measurement, not part of `npm run bench`): audits 2 levels x 30
 * models x 30,000 examples x 1,000 classes of float32 .npy probability files (`probabilities: true`) and checks
 * every model's top-5 accuracy and each level's taxicab ranking against a model-by-model NumPy computation
 * (bench/probabilities_scale_reference.py). Peak memory is measured from outside:
 *
 *   /usr/bin/python3 bench/probabilities_scale_reference.py generate /tmp/pie-scale 2 30 30000 1000
 *   /usr/bin/python3 bench/probabilities_scale_reference.py reference /tmp/pie-scale 2 30 > /tmp/pie-scale/reference.json
 *   /usr/bin/time -v npx tsx bench/probabilities-scale.ts /tmp/pie-scale 2 30
 *
 * Prints the comparison and exits 1 when any number differs beyond float32 rounding.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditCompression } from '../src/audit/audit-compression.js';
import { parseNpy } from '../src/data/parse-npy.js';

interface Reference {
  top5: number[];
  levels: Array<{ meanDistance: number; top: number[]; distances: number[] }>;
}

const [dir = '/tmp/pie-scale', levelArg = '2', modelArg = '30'] = process.argv.slice(2);
const levels = Number(levelArg);
const models = Number(modelArg);
const labelData = parseNpy(readFileSync(join(dir, 'labels.npy')), 'labels.npy').data;
const labels = Uint16Array.from(labelData as ArrayLike<number | bigint>, (v) => Number(v));
const population: Record<string, { predictionsFile: string }[]> = {};
for (let l = 0; l < levels; l++) {
  population[`L${l}`] = Array.from({ length: models }, (_, m) => ({
    predictionsFile: join(dir, `level${l}_model${String(m).padStart(3, '0')}.npy`),
  }));
}
const started = performance.now();
const report = await auditCompression({
  population: new Map(Object.entries(population)),
  testSet: { labels },
  baseline: 'L0',
  probabilities: true,
  bootstrap: { resamples: 0 },
  noiseFloor: { draws: 99 },
});
const seconds = (performance.now() - started) / 1000;
const reference = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as Reference;
let worstTop5 = 0;
let worstDistance = 0;
let sameOrder = true;
report.levels.forEach((level, l) => {
  if (level.topK.status !== 'ok') throw new Error(`level ${level.key}: top-5 ${level.topK.status}`);
  level.topK.perModel.forEach((a, m) => (worstTop5 = Math.max(worstTop5, Math.abs(a - reference.top5[l * models + m]))));
  if (l === 0) return;
  if (level.taxicab.status !== 'ok') throw new Error(`level ${level.key}: taxicab ${level.taxicab.status}`);
  const ref = reference.levels[l - 1];
  worstDistance = Math.max(worstDistance, Math.abs(level.taxicab.meanDistance - ref.meanDistance));
  level.taxicab.top.forEach((t, j) => {
    if (t.index !== ref.top[j]) sameOrder = false;
    worstDistance = Math.max(worstDistance, Math.abs(t.distance - ref.distances[j]));
  });
});
console.log(
  JSON.stringify({
    models: levels * models,
    examples: labels.length,
    seconds: Number(seconds.toFixed(1)),
    worstTop5Difference: worstTop5,
    worstDistanceDifference: worstDistance,
    sameTop16: sameOrder,
  }),
);
if (worstTop5 > 0 || worstDistance > 1e-9 || !sameOrder) process.exitCode = 1;
