/**
 * Benchmark of the seed-noise floor (`pieNoiseFloor`): 30 baseline + 30 compressed models x 50,000 examples,
 * 10 classes, 1,999 Monte Carlo splits, independent and paired designs, side by side with a NumPy peer
 * (bench/noise_floor_reference.py) running the same algorithm on the same splits, passed through .npy files.
 * Checks that both give the same PIE count for every split and writes the table to docs/benchmarks.md.
 *
 * Run: `npx tsx bench/noise-floor.ts` (or `npm run bench -- noise-floor`).
 * Smaller sizes for a quick check: `BENCH_NOISE_EXAMPLES=5000 npx tsx bench/noise-floor.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { permutationSplits, pieNoiseFloor, pieSplitCounts, type PermutationDesign, type PieNoiseFloor } from '../src/analysis/index.js';
import { mulberry32 } from '../src/random/mulberry32.js';
import { cpuModel } from './lib/machine.js';
import { writeBenchmarkSection } from './lib/write-section.js';

const N_MODELS = 30;
const N_EXAMPLES = Number(process.env.BENCH_NOISE_EXAMPLES ?? 50_000);
const N_CLASSES = 10;
const DRAWS = 1_999;
const SEED = 1;
const PYTHON = '/usr/bin/python3';

/**
 * Seeded labels with MNIST-like structure: 75% easy examples (each model right with p = 0.99), 17% medium (0.85),
 * 8% hard (0.5, wrong answers mostly one confusable class); the compressed models lose 0.15 on medium and hard ones.
 */
function makePopulations(): { baseline: Uint8Array[]; compressed: Uint8Array[] } {
  const random = mulberry32(2026);
  const truth = new Uint8Array(N_EXAMPLES);
  const confusable = new Uint8Array(N_EXAMPLES);
  const accuracy = new Float64Array(N_EXAMPLES);
  for (let i = 0; i < N_EXAMPLES; i++) {
    truth[i] = Math.floor(random() * N_CLASSES);
    confusable[i] = (truth[i] + 1 + Math.floor(random() * (N_CLASSES - 1))) % N_CLASSES;
    const u = random();
    accuracy[i] = u < 0.75 ? 0.99 : u < 0.92 ? 0.85 : 0.5;
  }
  const population = (drop: number) =>
    Array.from({ length: N_MODELS }, () => {
      const labels = new Uint8Array(N_EXAMPLES);
      for (let i = 0; i < N_EXAMPLES; i++) {
        const p = accuracy[i] < 0.9 ? accuracy[i] - drop : accuracy[i];
        const u = random();
        labels[i] = u < p ? truth[i] : u < p + (1 - p) * 0.7 ? confusable[i] : Math.floor(random() * N_CLASSES);
      }
      return labels;
    });
  return { baseline: population(0), compressed: population(0.15) };
}

/** Writes a C-order 2-D array as NumPy .npy (format 1.0). */
function writeNpy(file: string, data: Uint8Array | Int32Array, shape: [number, number]): void {
  const descr = data instanceof Uint8Array ? '|u1' : '<i4';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape[0]}, ${shape[1]}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix.writeUInt16LE(header.length, 8);
  writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

interface Row {
  design: PermutationDesign;
  js: number;
  py: number;
  result: PieNoiseFloor;
  contested: number;
}

function runCase(
  design: PermutationDesign,
  baseline: Uint8Array[],
  compressed: Uint8Array[],
  dir: string,
): Row & { python: string; numpy: string } {
  const start = performance.now();
  const result = pieNoiseFloor(baseline, compressed, { design, draws: DRAWS, seed: SEED, nClasses: N_CLASSES });
  const js = (performance.now() - start) / 1000;
  console.log(`  ${design}: pie-audit ${js.toFixed(2)} s, observed ${result.observed}, null median ${result.nullMedian}, p ${result.p}`);
  // The same splits as pieNoiseFloor draws (same design, sizes and seed), for the NumPy peer and the check.
  const pooled = [...baseline, ...compressed];
  const splits = permutationSplits(design, N_MODELS, N_MODELS, { draws: DRAWS, seed: SEED });
  const mine = pieSplitCounts(pooled, splits, { nClasses: N_CLASSES, tieBreak: 'max' }).counts;
  const flat = new Uint8Array(pooled.length * N_EXAMPLES);
  pooled.forEach((labels, m) => flat.set(labels, m * N_EXAMPLES));
  writeNpy(join(dir, 'pooled.npy'), flat, [pooled.length, N_EXAMPLES]);
  writeNpy(join(dir, 'sides.npy'), splits.sides, [splits.nSplits, splits.sideSize]);
  const out = execFileSync(
    PYTHON,
    ['bench/noise_floor_reference.py', join(dir, 'pooled.npy'), join(dir, 'sides.npy'), String(N_CLASSES), 'max', dir],
    { encoding: 'utf8' },
  );
  const py = JSON.parse(out.trim().split('\n').pop() as string) as { python: string; numpy: string; seconds: number; contested: number };
  const theirs = new Int32Array(new Uint8Array(readFileSync(join(dir, 'counts.bin'))).buffer);
  if (theirs.length !== mine.length || mine.some((c, s) => c !== theirs[s]) || mine[0] !== result.observed) {
    throw new Error(`${design}: split counts differ between pie-audit and the NumPy peer`);
  }
  console.log(
    `  ${design}: NumPy ${py.seconds.toFixed(2)} s; identical PIE counts on all ${mine.length} splits (${py.contested} contested examples)`,
  );
  return { design, js, py: py.seconds, result, contested: py.contested, python: py.python, numpy: py.numpy };
}

export async function main(): Promise<void> {
  console.log(`generating ${N_MODELS} + ${N_MODELS} models x ${N_EXAMPLES.toLocaleString('en-US')} examples…`);
  const { baseline, compressed } = makePopulations();
  const loadStart = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'pie-audit-noise-'));
  const rows: (Row & { python: string; numpy: string })[] = [];
  try {
    for (const design of ['independent', 'paired'] as const) rows.push(runCase(design, baseline, compressed, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const examples = N_EXAMPLES.toLocaleString('en-US');
  const machine =
    `Machine: ${cpuModel().replace(/ \d+-Core Processor/, '')}, ${cpus().length} cores, Node ${process.version}, ` +
    `Python ${rows[0].python}, NumPy ${rows[0].numpy}. Load average (1 min) ${loadStart.toFixed(1)} at start, ` +
    `${loadavg()[0].toFixed(1)} at end: the machine is shared, so timings carry noise.`;
  const row = (r: (typeof rows)[number]) =>
    [
      r.design,
      r.result.observed,
      r.result.nullMedian,
      r.result.nullP95,
      r.result.p.toPrecision(3),
      r.contested.toLocaleString('en-US'),
      r.js.toFixed(2),
      r.py.toFixed(2),
      `${(r.py / r.js).toFixed(1)}x`,
    ].join(' | ');
  const lines = [
    '## Seed-noise floor: permutation test of the PIE count',
    '',
    `${N_MODELS} baseline + ${N_MODELS} compressed models x ${examples} examples, ${N_CLASSES} classes, ` +
      `${DRAWS.toLocaleString('en-US')} seeded Monte Carlo splits plus the observed one ` +
      '(bench/noise-floor.ts; seeded synthetic labels: 75% easy, 17% medium, 8% hard examples).',
    '`pieNoiseFloor` (one run, whole call: validation, the contested-example filter and every split) vs',
    'bench/noise_floor_reference.py, a NumPy implementation of the same algorithm (pooled counts, skip examples no split can flip,',
    'per split one `np.bincount` for side A and pooled minus side A for side B), on the same splits passed through .npy files.',
    'Both give the same PIE count on every split.',
    '',
    '| design | observed PIEs | null median | null 95th pct | p | contested examples | pie-audit s | NumPy s | NumPy / pie-audit |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${row(r)} |`),
    '',
    machine,
  ];
  writeBenchmarkSection('noise-floor', lines.join('\n'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
