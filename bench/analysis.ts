/**
 * Benchmark of the PIE core: modal labels and PIEs for 180 models x 1,000,000 examples, with uint8 labels
 * (10 classes) and uint16 labels (1000 classes), side by side with a NumPy/SciPy reference
 * (bench/analysis_reference.py, scipy.stats.mode along the model axis) run on the same data, passed through
 * temporary .npy files. Checks that both give identical modal labels and PIE flags (tieBreak 'min', which is
 * scipy's tie rule) and writes the table to docs/benchmarks.md.
 *
 * Run: `npx tsx bench/analysis.ts` (or `npm run bench -- analysis`).
 * Sizes can be reduced for a quick check: `BENCH_ANALYSIS_EXAMPLES=100000 npx tsx bench/analysis.ts`.
 */
import { cpuModel } from './lib/machine.js';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findPIEs, modalLabels } from '../src/analysis/index.js';
import { writeBenchmarkSection } from './lib/write-section.js';

const N_MODELS = 180;
const N_EXAMPLES = Number(process.env.BENCH_ANALYSIS_EXAMPLES ?? 1_000_000);
const REPEATS = 3;
const PYTHON = '/usr/bin/python3';

interface Case {
  name: string;
  nClasses: number;
  dtype: 'uint8' | 'uint16';
}

const CASES: Case[] = [
  { name: 'uint8 labels, 10 classes', nClasses: 10, dtype: 'uint8' },
  { name: 'uint16 labels, 1000 classes', nClasses: 1000, dtype: 'uint16' },
];

/** xorshift32: seeded, fast, good enough for synthetic labels. */
function makeRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/**
 * One population as a single (models x examples) buffer. Each example has a "true" class; a model
 * answers it with probability `agree` and otherwise picks a random class. On the 5% "hard" examples the
 * compressed models drift to an alternative class, so the compressed population's modal label changes there.
 */
function makePopulation(c: Case, seed: number, compressed: boolean): Uint8Array | Uint16Array {
  const next = makeRandom(seed);
  const truthRandom = makeRandom(12345);
  const truth = new Uint16Array(N_EXAMPLES);
  const alt = new Uint16Array(N_EXAMPLES);
  const hard = new Uint8Array(N_EXAMPLES);
  for (let i = 0; i < N_EXAMPLES; i++) {
    truth[i] = truthRandom() % c.nClasses;
    alt[i] = (truth[i] + 1 + (truthRandom() % (c.nClasses - 1))) % c.nClasses;
    hard[i] = truthRandom() % 20 === 0 ? 1 : 0;
  }
  const data = c.dtype === 'uint8' ? new Uint8Array(N_MODELS * N_EXAMPLES) : new Uint16Array(N_MODELS * N_EXAMPLES);
  for (let m = 0; m < N_MODELS; m++) {
    const row = m * N_EXAMPLES;
    for (let i = 0; i < N_EXAMPLES; i++) {
      const r = next();
      const u = (r >>> 8) / 16777216;
      let label: number;
      if (compressed && hard[i]) label = u < 0.3 ? truth[i] : u < 0.75 ? alt[i] : next() % c.nClasses;
      else label = u < 0.8 ? truth[i] : next() % c.nClasses;
      data[row + i] = label;
    }
  }
  return data;
}

function rows(data: Uint8Array | Uint16Array): (Uint8Array | Uint16Array)[] {
  const out: (Uint8Array | Uint16Array)[] = [];
  for (let m = 0; m < N_MODELS; m++) out.push(data.subarray(m * N_EXAMPLES, (m + 1) * N_EXAMPLES));
  return out;
}

/** Writes a C-order (models, examples) array as NumPy .npy (format 1.0). */
function writeNpy(file: string, data: Uint8Array | Uint16Array, dtype: 'uint8' | 'uint16'): void {
  const descr = dtype === 'uint8' ? '|u1' : '<u2';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${N_MODELS}, ${N_EXAMPLES}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, prefix);
    writeSync(fd, Buffer.from(header, 'latin1'));
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    for (let off = 0; off < bytes.length; off += 1 << 26) writeSync(fd, bytes.subarray(off, Math.min(bytes.length, off + (1 << 26))));
  } finally {
    closeSync(fd);
  }
}

function readRaw(file: string, dtype: 'uint8' | 'uint16'): Uint8Array | Uint16Array {
  const buf = readFileSync(file);
  const bytes = new Uint8Array(buf.byteLength);
  bytes.set(buf);
  return dtype === 'uint8' ? bytes : new Uint16Array(bytes.buffer, 0, bytes.byteLength / 2);
}

function best(f: () => void): number {
  let t = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    f();
    t = Math.min(t, (performance.now() - start) / 1000);
  }
  return t;
}

function sameArrays(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface Row {
  name: string;
  jsModal: number;
  jsModalMax: number;
  jsPies: number;
  pyModal: number;
  pyPies: number;
  nPies: number;
  ties: number;
}

export async function main(): Promise<void> {
  const results: Row[] = [];
  let versions = { python: '?', numpy: '?', scipy: '?' };
  for (const c of CASES) {
    console.log(`\n${c.name}: generating ${N_MODELS} x ${N_EXAMPLES.toLocaleString('en-US')} labels per population…`);
    const baselineData = makePopulation(c, 1, false);
    const compressedData = makePopulation(c, 2, true);
    const baseline = rows(baselineData);
    const compressed = rows(compressedData);

    let modal = modalLabels(baseline, { nClasses: c.nClasses, tieBreak: 'min' });
    const jsModal = best(() => {
      modal = modalLabels(baseline, { nClasses: c.nClasses, tieBreak: 'min' });
    });
    const jsModalMax = best(() => {
      modalLabels(baseline, { nClasses: c.nClasses, tieBreak: 'max' });
    });
    let pies = findPIEs(baseline, compressed, { nClasses: c.nClasses, tieBreak: 'min' });
    const jsPies = best(() => {
      pies = findPIEs(baseline, compressed, { nClasses: c.nClasses, tieBreak: 'min' });
    });
    console.log(`  pie-audit: modal ${jsModal.toFixed(3)} s, PIEs ${jsPies.toFixed(3)} s (${pies.count} PIEs)`);

    const dir = mkdtempSync(join(tmpdir(), 'pie-audit-bench-'));
    try {
      const bFile = join(dir, 'baseline.npy');
      const cFile = join(dir, 'compressed.npy');
      writeNpy(bFile, baselineData, c.dtype);
      writeNpy(cFile, compressedData, c.dtype);
      console.log('  running the SciPy reference (scipy.stats.mode)…');
      const out = execFileSync(PYTHON, [join('bench', 'analysis_reference.py'), bFile, cFile, dir], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      const py = JSON.parse(out.trim().split('\n').pop() as string) as {
        python: string;
        numpy: string;
        scipy: string;
        modal_seconds: number;
        pie_seconds: number;
        n_pies: number;
      };
      versions = { python: py.python, numpy: py.numpy, scipy: py.scipy };
      const pyBaseline = readRaw(join(dir, 'baseline_modal.bin'), c.dtype);
      const pyCompressed = readRaw(join(dir, 'compressed_modal.bin'), c.dtype);
      const pyIsPie = readRaw(join(dir, 'is_pie.bin'), 'uint8');
      if (!sameArrays(modal.labels, pyBaseline) || !sameArrays(pies.compressedModal, pyCompressed)) {
        throw new Error(`${c.name}: modal labels differ between pie-audit (tieBreak 'min') and scipy.stats.mode`);
      }
      if (!sameArrays(pies.isPIE, pyIsPie) || pies.count !== py.n_pies) {
        throw new Error(`${c.name}: PIE flags differ between pie-audit and the NumPy reference`);
      }
      console.log(
        `  scipy: modal ${py.modal_seconds.toFixed(3)} s, PIEs ${py.pie_seconds.toFixed(3)} s; identical modal labels and PIE flags`,
      );
      results.push({
        name: c.name,
        jsModal,
        jsModalMax,
        jsPies,
        pyModal: py.modal_seconds,
        pyPies: py.pie_seconds,
        nPies: pies.count,
        ties: modal.ties,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const labelsPerPopulation = N_MODELS * N_EXAMPLES;
  const mps = (labels: number, s: number) => (labels / s / 1e6).toFixed(0);
  const lines = [
    '## Analysis: modal labels and PIEs',
    '',
    `${N_MODELS} models x ${N_EXAMPLES.toLocaleString('en-US')} examples per population, seeded synthetic labels (bench/analysis.ts).`,
    `pie-audit \`modalLabels\` / \`findPIEs\` (best of ${REPEATS}) vs \`scipy.stats.mode(axis=0)\` and \`!=\` in bench/analysis_reference.py (one run), on identical inputs passed through .npy files.`,
    "Both give identical modal labels and PIE flags (pie-audit with tieBreak 'min', scipy's tie rule). Throughput counts labels read.",
    '',
    '| case | step | pie-audit s | pie-audit M labels/s | SciPy s | SciPy M labels/s | SciPy / pie-audit |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.name} | modal labels, 1 population | ${r.jsModal.toFixed(3)} | ${mps(labelsPerPopulation, r.jsModal)} | ${r.pyModal.toFixed(2)} | ${mps(labelsPerPopulation, r.pyModal)} | ${(r.pyModal / r.jsModal).toFixed(1)}x |`,
    );
    lines.push(
      `| ${r.name} | PIEs, 2 populations (${r.nPies.toLocaleString('en-US')} PIEs) | ${r.jsPies.toFixed(3)} | ${mps(2 * labelsPerPopulation, r.jsPies)} | ${r.pyPies.toFixed(2)} | ${mps(2 * labelsPerPopulation, r.pyPies)} | ${(r.pyPies / r.jsPies).toFixed(1)}x |`,
    );
  }
  lines.push('');
  lines.push(
    `Default tie rule ('max'), modal labels of one population: ${results.map((r) => `${r.name} ${r.jsModalMax.toFixed(3)} s`).join('; ')}.`,
  );
  lines.push('');
  lines.push(
    `Machine: ${cpuModel()}, ${cpus().length} cores, Node ${process.version}, Python ${versions.python}, NumPy ${versions.numpy}, SciPy ${versions.scipy}. The machine is shared, so timings carry noise.`,
  );
  const md = lines.join('\n');
  console.log(`\n${md}`);
  writeBenchmarkSection('analysis', md);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
