import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveLayersModel } from '../../src/engine/index.js';
import { isPieAuditError } from '../../src/errors.js';
import { evaluatePopulation } from '../../src/evaluate/evaluate-population.js';
import { hashTfjsModelFile } from '../../src/evaluate/model-file.js';
import { digitsMlp, loadDigits, useWasm } from './helpers.js';

const digits = loadDigits(60);
const testSet = { inputs: digits.inputs, inputShape: [64], n: digits.n };
let root: string;
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isPieAuditError(e) ? e.code : `untyped: ${String(e)}`),
  );

beforeAll(async () => {
  await useWasm();
  root = mkdtempSync(join(tmpdir(), 'pie-untrusted-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function savedModel(name: string): Promise<string> {
  const model = digitsMlp(5);
  await saveLayersModel(model, join(root, name));
  model.dispose();
  return join(root, name);
}

describe('model files from untrusted places', () => {
  it('validates weight paths before hashing: a manifest naming ../../dev/zero is CORRUPT_MODEL, cache on or off', async () => {
    const dir = await savedModel('escape');
    const jsonPath = join(dir, 'model.json');
    const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
    json.weightsManifest[0].paths = ['../../../../../../dev/zero'];
    writeFileSync(jsonPath, JSON.stringify(json));
    expect(await codeOf(hashTfjsModelFile(jsonPath))).toBe('CORRUPT_MODEL');
    expect(await codeOf(evaluatePopulation([jsonPath], testSet, { cache: { dir: join(root, 'cache') }, runtime: 'tfjs' }))).toBe(
      'CORRUPT_MODEL',
    );
    expect(await codeOf(evaluatePopulation([jsonPath], testSet, { runtime: 'tfjs' }))).toBe('CORRUPT_MODEL');
  });

  it('refuses a shard that is a link to a device, before reading it', async () => {
    const dir = await savedModel('device');
    const shard = join(dir, 'group1-shard1of1.bin');
    unlinkSync(shard);
    symlinkSync('/dev/zero', shard);
    expect(await codeOf(hashTfjsModelFile(dir))).toBe('CORRUPT_MODEL');
    expect(await codeOf(evaluatePopulation([dir], testSet, { runtime: 'tfjs' }))).toBe('CORRUPT_MODEL');
  });

  it('checks weights for NaN before evaluating, on every runtime (wasm relu would turn NaN into 0)', async () => {
    const model = digitsMlp(7);
    const [kernel, ...rest] = model.getWeights();
    const values = kernel.dataSync().slice();
    values[3] = Number.NaN;
    model.setWeights([tf.tensor(values, kernel.shape), ...rest]);
    for (const runtime of ['tfjs', 'auto'] as const) {
      const error = await evaluatePopulation([model], testSet, { runtime }).catch((e: unknown) => e);
      expect(isPieAuditError(error, 'NON_FINITE'), runtime).toBe(true);
      expect((error as Error).message).toMatch(/weight .* holds NaN at flat index 3/);
    }
    await saveLayersModel(model, join(root, 'nan'));
    expect(await codeOf(evaluatePopulation([join(root, 'nan')], testSet, { runtime: 'tfjs' }))).toBe('NON_FINITE');
    model.dispose();
  });
  it('refuses an .onnx path that is a FIFO or a device instead of blocking on it', async () => {
    const fifo = join(root, 'pipe.onnx');
    execFileSync('mkfifo', [fifo]);
    const zero = join(root, 'zero.onnx');
    symlinkSync('/dev/zero', zero);
    for (const path of [fifo, zero]) {
      expect(await codeOf(evaluatePopulation([path], testSet, { runtime: 'auto' })), path).toBe('CORRUPT_MODEL');
      expect(await codeOf(evaluatePopulation([path], testSet, { runtime: 'auto', cache: { dir: join(root, 'cache2') } })), path).toBe(
        'CORRUPT_MODEL',
      );
    }
  });
});
