/**
 * Wall time of the whole bundled demo (MNIST long tail, 5 models x 6 levels, 10,000 test images) per
 * inference runtime: building the population (training, pruning, fine-tuning: the same work for every
 * runtime) and then evaluating and auditing the 30 models, which is where the runtimes differ.
 *
 * `npx tsx bench/demo.ts` or `npm run bench -- demo`. Writes docs/benchmarks.md#demo.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runDemo } from '../src/cli/demo.js';
import type { Progress } from '../src/cli/progress.js';
import { cpuModel } from './lib/machine.js';
import { writeBenchmarkSection } from './lib/write-section.js';

type Runtime = 'tfjs' | 'onnx';

interface DemoTiming {
  runtime: Runtime;
  populationSeconds: number;
  auditSeconds: number;
  totalSeconds: number;
  runtimesUsed: string;
  pies: string;
}

/** A silent progress sink that remembers when the population was finished. */
function timingProgress(): Progress & { populationBuiltAt?: number } {
  const sink: Progress & { populationBuiltAt?: number } = {
    update: () => {},
    done: () => {},
    log: (message: string) => {
      if (message.startsWith('demo: population built')) sink.populationBuiltAt = performance.now();
    },
  };
  return sink;
}

async function timeDemo(runtime: Runtime): Promise<DemoTiming> {
  const out = mkdtempSync(join(tmpdir(), `pie-audit-demo-bench-${runtime}-`));
  try {
    const progress = timingProgress();
    const started = performance.now();
    const report = await runDemo({ out, runtime, progress, print: () => {} });
    const ended = performance.now();
    const built = progress.populationBuiltAt ?? started;
    const counts = report.environment.runtimes;
    return {
      runtime,
      populationSeconds: (built - started) / 1000,
      auditSeconds: (ended - built) / 1000,
      totalSeconds: (ended - started) / 1000,
      runtimesUsed: Object.entries(counts)
        .map(([k, v]) => `${k} x${v}`)
        .join(', '),
      pies: report.levels
        .map((l) => (l.pies.status === 'ok' ? `${l.key}: ${l.pies.count}` : ''))
        .filter(Boolean)
        .join(', '),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function main(): Promise<void> {
  const loadStart = loadavg()[0];
  const rows: DemoTiming[] = [];
  for (const runtime of ['onnx', 'tfjs'] as const) {
    console.log(`demo with runtime ${runtime} ...`);
    const row = await timeDemo(runtime);
    console.log(
      `  population ${row.populationSeconds.toFixed(1)} s, evaluate + audit ${row.auditSeconds.toFixed(1)} s, total ${row.totalSeconds.toFixed(1)} s (${row.runtimesUsed})`,
    );
    rows.push(row);
  }
  const [onnx, tfjs] = rows;
  const lines = [
    '## The whole demo per runtime',
    '',
    `Machine: ${cpuModel()}, ${cpus().length} cores, Node ${process.version}, no GPU. Load average (1 min) ${loadStart.toFixed(1)} at start, ` +
      `${loadavg()[0].toFixed(1)} at end. One run each, in one process: MNIST long tail, 5 MLPs (784-128-10) x 6 sparsity levels, ` +
      '10,000 test images. Building the population (training, pruning, fine-tuning on tfjs-wasm) is the same work for both runtimes; ' +
      'evaluating and auditing the 30 models is where they differ.',
    '',
    '| runtime | models run on | build population (s) | evaluate + audit (s) | whole demo (s) | PIEs per level |',
    '| --- | --- | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.runtime} | ${r.runtimesUsed} | ${r.populationSeconds.toFixed(1)} | ${r.auditSeconds.toFixed(1)} | ${r.totalSeconds.toFixed(1)} | ${r.pies} |`,
    ),
    '',
    `Evaluate + audit: onnx takes ${(onnx.auditSeconds / tfjs.auditSeconds).toFixed(2)} of the tfjs-wasm time (${(tfjs.auditSeconds / onnx.auditSeconds).toFixed(2)}x faster). ` +
      `Whole demo, onnx / tfjs wall time: ${(onnx.totalSeconds / tfjs.totalSeconds).toFixed(2)}; building the population dominates, ` +
      'and its run-to-run noise is larger than the evaluation difference. The PIE counts agree; that every top-1 label agrees is ' +
      'checked by test/onnx/demo-population.test.ts.',
  ];
  writeBenchmarkSection('demo', lines.join('\n'));
  console.log(lines.join('\n'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
