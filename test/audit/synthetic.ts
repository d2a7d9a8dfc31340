import { seededRandom } from '../../src/random/seeded-random.js';

/**
 * A synthetic but realistic population of predictions: `nClasses` classes, `perClass` examples each,
 * baseline models right with probability `accuracy`; each compressed level loses `extraErrors[level]`
 * more on `hurtClass` and `globalErrors[level]` elsewhere. Errors pick a seeded wrong class.
 */
export function syntheticPopulation(options: {
  nClasses?: number;
  perClass?: number;
  models?: number;
  levels?: Record<string, { hurt: number; global: number }>;
  hurtClass?: number;
  accuracy?: number;
  seed?: number;
}) {
  const nClasses = options.nClasses ?? 4;
  const perClass = options.perClass ?? 100;
  const models = options.models ?? 4;
  const hurtClass = options.hurtClass ?? 2;
  const accuracy = options.accuracy ?? 0.95;
  const levels = options.levels ?? { '0': { hurt: 0, global: 0 }, '0.5': { hurt: 0.05, global: 0.01 }, '0.9': { hurt: 0.4, global: 0.04 } };
  const rand = seededRandom(options.seed ?? 1);
  const n = nClasses * perClass;
  const labels = Uint8Array.from({ length: n }, (_, i) => i % nClasses);
  // Each example has a difficulty: hard examples flip first, as PIEs do.
  const difficulty = Float64Array.from({ length: n }, () => rand());
  const population: Record<string, Array<{ predictions: Uint16Array }>> = {};
  for (const [level, { hurt, global }] of Object.entries(levels)) {
    population[level] = [];
    for (let m = 0; m < models; m++) {
      const preds = new Uint16Array(n);
      for (let i = 0; i < n; i++) {
        const pError = 1 - accuracy + global + (labels[i] === hurtClass ? hurt : 0);
        const wrong = difficulty[i] * 0.7 + rand() * 0.3 < pError;
        preds[i] = wrong ? (labels[i] + 1 + Math.floor(rand() * (nClasses - 1))) % nClasses : labels[i];
      }
      population[level].push({ predictions: preds });
    }
  }
  return { labels, population, n, nClasses };
}
