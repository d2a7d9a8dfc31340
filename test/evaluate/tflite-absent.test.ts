/**
 * Without tfjs-tflite-node (an optional dependency npm drops when its native build fails): a .tflite source
 * is a typed error naming the package and its install command, and `pie-audit doctor` says the same.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTflite } from './tflite-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-no-tflite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repoRoot = join(import.meta.dirname, '..', '..');
const hide = join(import.meta.dirname, 'fixtures', 'no-tflite', 'hide-tflite.cjs');

/** A valid one-op model: softmax over 4 inputs. */
const softmaxModel = () =>
  buildTflite({
    tensors: [
      { name: 'x', shape: [1, 4], type: 'float32' },
      { name: 'p', shape: [1, 4], type: 'float32' },
    ],
    ops: [{ op: 'SOFTMAX', inputs: [0], outputs: [1] }],
    inputs: [0],
    outputs: [1],
  });

describe('without tfjs-tflite-node', () => {
  it('a .tflite source throws MODULE_NOT_FOUND naming the file, the package and its install command', () => {
    const file = join(dir, 'softmax.tflite');
    writeFileSync(file, softmaxModel());
    const out = execFileSync(
      process.execPath,
      ['--require', hide, '--import', 'tsx', join(import.meta.dirname, 'fixtures', 'no-tflite', 'evaluate-tflite-file.ts'), file],
      { encoding: 'utf8' },
    );
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as { code: string; message: string };
    expect(result.code).toBe('MODULE_NOT_FOUND');
    expect(result.message).toContain(file);
    expect(result.message).toContain('tfjs-tflite-node is not installed');
    expect(result.message).toContain('npm install tfjs-tflite-node');
  });

  it('pie-audit doctor says it is not installed and what .tflite files then need', () => {
    const doctor = spawnSync(process.execPath, ['--require', hide, '--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'doctor'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      timeout: 120_000,
    });
    expect(doctor.status, doctor.stderr).toBe(0);
    const line = doctor.stdout.split('\n').find((l) => l.startsWith('  tfjs-tflite-node '));
    expect(line).toMatch(
      /not available: tfjs-tflite-node is not installed: npm left this optional dependency out .*\.tflite files cannot be evaluated\. Install it with `npm install tfjs-tflite-node`/,
    );
    expect(doctor.stdout).toMatch(/an audit with the default settings runs .*; \.tflite files need tfjs-tflite-node\n/);
  });
});
