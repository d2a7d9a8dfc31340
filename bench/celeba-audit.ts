/**
 * Benchmark of a CelebA-shaped audit: 30 models at each of 6 levels (baseline + 5 compressed) x 19,962 test
 * examples (CelebA's test split), a binary label (Blond_Hair-like) and 40 binary group attributes, every member
 * given as precomputed predictions (seeded synthetic labels), 1,000 bootstrap resamples. Times the whole
 * `auditCompression` call and writes the table to docs/benchmarks.md.
 *
 * Run: `npx tsx bench/celeba-audit.ts` (or `npm run bench -- celeba-audit`).
 */
import { cpus, loadavg } from 'node:os';
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

/** Wall and CPU seconds of one whole audit of the CelebA-shaped population, and its PIE counts. */
export async function timeCelebaAudit(resamples = RESAMPLES): Promise<{ seconds: number; cpuSeconds: number; pies: number[] }> {
  const { labels, attributes, population } = makeCelebaShaped();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const report = await auditCompression({
    population,
    testSet: { labels, attributes },
    classNames: ['not blond', 'blond'],
    positiveClass: 1,
    bootstrap: { resamples, seed: 1 },
  });
  const used = process.cpuUsage(cpu);
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    pies: report.levels.map((l) => (l.pies.status === 'ok' ? l.pies.count : 0)),
  };
}

/**
 * Earlier runs of this audit (1,000 resamples) on this machine. 778acfc: before the bootstrap shared its resamples
 * (every estimate family and attribute drew its own; CPU of the whole process from /usr/bin/time, start-up of about
 * 3 s included). Examples only: after sharing, with every interval over test examples alone. f46af22: the two-level
 * intervals (models and examples, the default from 3 models per level) before they shared sums across a resample's
 * evaluations, attributes and levels.
 */
const HISTORY = [
  { code: 'before (778acfc)', seconds: '339.5', cpu: '141.5 (whole process)', load: '2.5 at start' },
  { code: 'shared resamples, intervals over examples only', seconds: '186.1', cpu: '22.5', load: '20.0 / 24.4' },
  {
    code: 'two-level intervals, each resample evaluated four times over every attribute (f46af22)',
    seconds: '337.1',
    cpu: '268.9',
    load: '2.4 / 3.7',
  },
];

export async function main(): Promise<void> {
  const loadStart = loadavg()[0];
  const after = await timeCelebaAudit();
  const loadEnd = loadavg()[0];
  console.log(
    `celeba-shaped audit: ${after.seconds.toFixed(1)} s wall, ${after.cpuSeconds.toFixed(1)} s CPU, PIEs ${after.pies.join(', ')}`,
  );
  const examples = N_EXAMPLES.toLocaleString('en-US');
  writeBenchmarkSection(
    'celeba-audit',
    `## A CelebA-shaped audit: ${N_ATTRIBUTES} attributes, ${LEVELS.length} x ${MODELS_PER_LEVEL} models, ${examples} examples

bench/celeba-audit.ts: one \`auditCompression\` call on seeded synthetic predictions shaped like CelebA's test split
(${examples} examples, a binary label with ~15 % positives, ${N_ATTRIBUTES} binary attributes, ${LEVELS.length} levels of
${MODELS_PER_LEVEL} models given as \`{ predictions }\`), positive class 1, ${RESAMPLES.toLocaleString('en-US')} bootstrap resamples: PIEs,
class tests, noise floors, over-index and FPR/FNR intervals for every attribute. With 30 models per level every
interval comes from the two-level bootstrap (models resampled within each population, then examples).

Earlier rows: every estimate family (and the FPR/FNR intervals once per attribute) first drew its own resamples x
examples weights; sharing them (one pass per level, every family and attribute) made the examples-only intervals
fast. The two-level intervals then evaluated each resample four times (drawn models on the drawn examples and on two
fixed halves, every model on the drawn examples), recomputing both populations' modal labels and shares over all
models and examples and passing over the examples once per attribute and family each time. Now a resample's four
evaluations come from shared sums of whole model counts: only the examples where a population's models disagree are
revisited (elsewhere no model weighting changes a modal label or share), every attribute is summed in one pass that
skips each attribute's largest group (derived from the totals, exactly, as the sums are whole numbers), the drawn
models' differences over the fixed halves come from per-model sums (linear in the model weights), and the baseline's
sums of each resample are kept for the next levels, which draw the same resamples (and, outside the bootstrap, the
subgroup FPR/FNR rows count each model once per level instead of twice). The random stream is unchanged;
the intervals agree with f46af22's to within 1.4e-15 (its sums of shares rounded; these are exact), and
test/analysis/two-level-bootstrap.test.ts checks them against evaluating each resample directly.

| code | wall s | CPU s | load (1 min) |
| --- | ---: | ---: | ---: |
${HISTORY.map((h) => `| ${h.code} | ${h.seconds} | ${h.cpu} | ${h.load} |`).join('\n')}
| after (two-level, shared sums) | ${after.seconds.toFixed(1)} | ${after.cpuSeconds.toFixed(1)} | ${loadStart.toFixed(1)} / ${loadEnd.toFixed(1)} |

PIEs per level: ${after.pies.join(', ')}. Machine: ${cpuModel()}, ${cpus().length} cores, Node ${process.version}. The machine is
shared: wall time is inflated by the load (CPU seconds are what the audit itself used; on an idle machine wall is
close to CPU).`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
