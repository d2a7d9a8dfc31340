// Child process of kill.test.ts: saves a small population over and over until it is killed.
import { initBackend } from '../../src/engine/index.js';
import { savePopulation, type Population } from '../../src/population/index.js';
import { tinyMlp } from '../compress/helpers.js';

const [dir] = process.argv.slice(2);
await initBackend({ backend: 'wasm' });
const levels = { '0': [tinyMlp(1, 64, 64), tinyMlp(2, 64, 64)], '0.5': [tinyMlp(3, 64, 64), tinyMlp(4, 64, 64)] };
const population: Population = {
  levels,
  sparsityLevels: [0, 0.5],
  levelKeys: ['0', '0.5'],
  variants: { '0': { kind: 'magnitude', sparsity: 0 }, '0.5': { kind: 'magnitude', sparsity: 0.5 } },
  design: { kind: 'paired', regime: 'fineTune', pairIds: { '0': ['seed-1', 'seed-2'], '0.5': ['seed-1', 'seed-2'] } },
  seeds: [1, 2],
  modelNames: { '0': ['seed-1', 'seed-2'], '0.5': ['seed-1', 'seed-2'] },
  measuredSparsity: {},
};
process.stdout.write('ready\n');
for (;;) await savePopulation(population, dir);
