/**
 * `pie-audit doctor` and the runtimes line of `pie-audit --version`: what runs here, measured, and what is not
 * available and why. With onnxruntime-node present and, in a child process, with it hidden as on a machine where
 * npm dropped the optional dependency.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnnxRuntime } from '../../src/evaluate/onnx/onnx-runtime.js';
import { loadTfliteRuntime } from '../../src/evaluate/tflite/tflite-runtime.js';
import { PIE_AUDIT_VERSION } from '../../src/version.js';
import { repoRoot, runCliInProcess } from './cli-helpers.js';

const RUNTIMES = ['onnxruntime-node', 'tfjs-node', 'tfjs wasm', 'tfjs cpu'];
const resolvable = (specifier: string) => {
  try {
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
};

/** The line of one runtime in doctor's output. */
const lineOf = (stdout: string, name: string) => stdout.split('\n').find((l) => l.startsWith(`  ${name.padEnd(17)} `))!;
const isAvailable = (line: string) =>
  line
    .trimStart()
    .split(/\s{2,}/)[1]
    ?.startsWith('available');

describe('pie-audit doctor', () => {
  it('lists every runtime and backend: available with a measured time per 1,000 examples, or why not', async () => {
    const r = await runCliInProcess(['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^pie-audit ${PIE_AUDIT_VERSION.replace(/\./g, '\\.')} on Node v\\d+`));
    expect(r.stdout).not.toContain('Hi, looks like');
    for (const name of RUNTIMES) {
      const line = lineOf(r.stdout, name);
      expect(line, name).toBeDefined();
      if (isAvailable(line)) {
        const ms = Number(/, ([\d.]+) ms per 1,000 examples$/.exec(line)?.[1]);
        expect(ms, line).toBeGreaterThan(0);
      } else expect(line).toMatch(/not available: \S/);
    }
    // The tfjs backends ship with pie-audit; onnxruntime-node and tfjs-node are reported as they load here.
    expect(lineOf(r.stdout, 'tfjs wasm')).toMatch(/ available \(\d+\.\d+\.\d+\)/);
    expect(lineOf(r.stdout, 'tfjs cpu')).toMatch(/ available \(\d+\.\d+\.\d+\)/);
    const ort = await loadOnnxRuntime();
    expect(isAvailable(lineOf(r.stdout, 'onnxruntime-node'))).toBe(ort.ok);
    expect(isAvailable(lineOf(r.stdout, 'tfjs-node'))).toBe(resolvable('@tensorflow/tfjs-node'));
    // TFLite runs .tflite files only, so it is not timed on the tfjs probe model: available with its version, or why not.
    const tflite = loadTfliteRuntime();
    expect(lineOf(r.stdout, 'tfjs-tflite-node')).toMatch(tflite.ok ? / {2}available \(\d+\.\d+\.\d+\)$/ : /not available: \S/);
    expect(r.stdout).toContain(tflite.ok ? '; TFLite for .tflite files' : '; .tflite files need tfjs-tflite-node');
    expect(r.stdout).toMatch(
      ort.ok
        ? /an audit with the default settings runs ONNX Runtime for \.onnx files and the tfjs models it converts, tfjs (wasm|node) for the rest/
        : /an audit with the default settings runs tfjs \S+ for every model/,
    );
  });

  it('--version prints the version alone on the first line, then the runtimes available', async () => {
    const r = await runCliInProcess(['--version']);
    expect(r.code).toBe(0);
    const [version, runtimes] = r.stdout.trimEnd().split('\n');
    expect(version).toBe(PIE_AUDIT_VERSION);
    expect(runtimes).toMatch(/^runtimes: .*tfjs wasm \d+\.\d+\.\d+, tfjs cpu \d+\.\d+\.\d+/);
    if ((await loadOnnxRuntime()).ok) expect(runtimes).toMatch(/^runtimes: onnxruntime-node \d+\.\d+\.\d+, /);
  });

  it('says when npm dropped onnxruntime-node, why it matters and how to install it', () => {
    const hide = join(repoRoot, 'test/evaluate/fixtures/no-onnxruntime/hide-onnxruntime.cjs');
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--require', hide, '--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
        timeout: 120_000,
      });
    const doctor = run(['doctor']);
    expect(doctor.status, doctor.stderr).toBe(0);
    expect(lineOf(doctor.stdout, 'onnxruntime-node')).toMatch(
      /not available: onnxruntime-node is not installed: npm left this optional dependency out .*every model runs on tfjs\. Install it with `npm install onnxruntime-node`.*ONNXRUNTIME_NODE_INSTALL=skip/,
    );
    expect(doctor.stdout).toMatch(
      /an audit with the default settings runs tfjs \S+ for every model \(\.onnx files need onnxruntime-node\)/,
    );
    const version = run(['--version']);
    expect(version.stdout.split('\n')[1]).toMatch(/; not available: onnxruntime-node(, tfjs-node)? \(pie-audit doctor says why\)$/);
  });
});
