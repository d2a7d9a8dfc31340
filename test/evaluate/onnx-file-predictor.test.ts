import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPieAuditError, type PieAuditError } from '../../src/errors.js';
import { createPredictor } from '../../src/evaluate/create-predictor.js';
import { evaluatePopulation } from '../../src/evaluate/evaluate-population.js';
import { argmaxReference, gemmOnnx, seededFloats } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// NHWC test set: 40 examples of 4x4x3, like tfjs/Keras images.
const n = 40;
const nhwc = [4, 4, 3];
const features = 48;
const k = 5;
const inputs = seededFloats(n * features, 1);
const weights = seededFloats(features * k, 2);
const bias = seededFloats(k, 3);

/** Scores of the Gemm on each example's NHWC row-major features. */
function reference(): Float32Array {
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = bias[c];
      for (let f = 0; f < features; f++) s += inputs[i * features + f] * weights[f * k + c];
      out[i * k + c] = s;
    }
  }
  return out;
}

function writeOnnx(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

const failsWith =
  (code: string, ...fragments: string[]) =>
  (e: unknown) =>
    isPieAuditError(e) && e.code === code && fragments.every((f) => (e as PieAuditError).message.includes(f));

describe('.onnx files', () => {
  it('feeds an NHWC test set to a graph declaring NCHW input (a PyTorch export), transposing each batch', async () => {
    // The graph takes [N, 3, 4, 4] and transposes back to NHWC before the Gemm, so it reproduces `reference`
    // only if evaluation transposed the NHWC rows to NCHW correctly.
    const file = writeOnnx('nchw.onnx', gemmOnnx({ inputDims: [3, 4, 4], perm: [0, 2, 3, 1], weights, bias, nClasses: k }));
    const r = await evaluatePopulation([file], { inputs, inputShape: nhwc, n }, { batchSize: 16, returnProbabilities: true });
    expect(r.perModel[0].runtime).toBe('onnx');
    expect(Array.from(r.predictions)).toEqual(argmaxReference(reference(), n, k));
    const ref = reference();
    for (let i = 0; i < ref.length; i++) expect(r.probabilities![i]).toBeCloseTo(ref[i], 4);
  });

  it('feeds examples as they are when the declared shape matches, and runs fixed-batch graphs in chunks', async () => {
    const flat = writeOnnx('flat.onnx', gemmOnnx({ inputDims: [features], weights, bias, nClasses: k }));
    const fixed = writeOnnx('fixed.onnx', gemmOnnx({ inputDims: [4, 4, 3], weights, bias, nClasses: k, fixedBatch: 3 }));
    const expected = argmaxReference(reference(), n, k);
    const r1 = await evaluatePopulation([flat], { inputs, inputShape: [features], n }, { batchSize: 7 });
    expect(Array.from(r1.predictions)).toEqual(expected);
    const r2 = await evaluatePopulation([fixed], { inputs, inputShape: nhwc, n }, { batchSize: 16 });
    expect(Array.from(r2.predictions)).toEqual(expected);
    // Without testSet.inputShape the graph's fully declared shape is used.
    const r3 = await evaluatePopulation([flat], { inputs, n });
    expect(Array.from(r3.predictions)).toEqual(expected);
  });

  it('throws SHAPE_MISMATCH naming the file and both shapes when no layout fits', async () => {
    const file = writeOnnx('wrong.onnx', gemmOnnx({ inputDims: [2, 4, 6], weights, bias, nClasses: k }));
    await expect(evaluatePopulation([file], { inputs, inputShape: nhwc, n })).rejects.toSatisfy(
      failsWith('SHAPE_MISMATCH', file, '[2, 4, 6]', '[4, 4, 3]'),
    );
  });

  it('throws CORRUPT_MODEL naming a corrupt or missing .onnx file', async () => {
    const good = gemmOnnx({ inputDims: [features], weights, bias, nClasses: k });
    const file = writeOnnx('cut.onnx', good.subarray(0, Math.floor(good.length / 3)));
    await expect(evaluatePopulation([file], { inputs, n })).rejects.toSatisfy(failsWith('CORRUPT_MODEL', file));
    await expect(createPredictor(join(dir, 'absent.onnx'))).rejects.toSatisfy(failsWith('CORRUPT_MODEL', 'absent.onnx'));
  });

  it('refuses runtime tfjs for an .onnx file', async () => {
    const file = writeOnnx('any.onnx', gemmOnnx({ inputDims: [features], weights, bias, nClasses: k }));
    await expect(evaluatePopulation([file], { inputs, n }, { runtime: 'tfjs' })).rejects.toSatisfy(failsWith('INVALID_ARGUMENT', file));
  });
});

describe('without onnxruntime-node', () => {
  it('an .onnx source throws MODULE_NOT_FOUND with the install command and the install-skip tip', async () => {
    const { execFileSync } = await import('node:child_process');
    const file = writeOnnx('for-missing.onnx', gemmOnnx({ inputDims: [features], weights, bias, nClasses: k }));
    const fixtures = join(import.meta.dirname, 'fixtures', 'no-onnxruntime');
    const out = execFileSync(
      process.execPath,
      ['--require', join(fixtures, 'hide-onnxruntime.cjs'), '--import', 'tsx', join(fixtures, 'evaluate-onnx-file.ts'), file],
      {
        encoding: 'utf8',
      },
    );
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as { code: string; message: string };
    expect(result.code).toBe('MODULE_NOT_FOUND');
    expect(result.message).toContain('npm install onnxruntime-node');
    expect(result.message).toContain('ONNXRUNTIME_NODE_INSTALL=skip');
    expect(result.message).toContain(file);
  });
});
