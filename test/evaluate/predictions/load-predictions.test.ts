import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { float32, int32, list, tableFromArrays, tableToIPC, uint16 } from '@uwdata/flechette';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isPieAuditError } from '../../../src/errors.js';
import { loadPredictions } from '../../../src/evaluate/predictions/load-predictions.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-preds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;
const write = (ext: string, content: string | Uint8Array) => {
  const file = join(dir, `f${fileCounter++}.${ext}`);
  writeFileSync(file, content);
  return file;
};

/** numpy.argmax: first index of the maximum. */
const argmax = (row: number[]) => row.indexOf(Math.max(...row));

const labelsArb = fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: 1, maxLength: 40 });
// Small integer-valued scores make ties frequent, exercising the tie rule.
const scoresArb = fc.integer({ min: 2, max: 6 }).chain((k) =>
  fc.array(
    fc.array(
      fc.integer({ min: -3, max: 3 }).map((v) => v / 2),
      { minLength: k, maxLength: k },
    ),
    { minLength: 1, maxLength: 30 },
  ),
);

describe('loadPredictions', () => {
  it('reads labels identically from JSON, JSON {predictions}, CSV with and without header, and Arrow', async () => {
    await fc.assert(
      fc.asyncProperty(labelsArb, async (labels) => {
        const files = [
          write('json', JSON.stringify(labels)),
          write('json', JSON.stringify({ predictions: labels })),
          write('csv', labels.join('\n') + '\n'),
          write('csv', 'prediction\r\n' + labels.join('\r\n')),
          write('arrow', tableToIPC(tableFromArrays({ prediction: labels }, { types: { prediction: uint16() } }), { format: 'file' })!),
          write('arrow', tableToIPC(tableFromArrays({ y: labels }, { types: { y: int32() } }), { format: 'stream' })!),
        ];
        for (const file of files) {
          const r = await loadPredictions(file);
          expect(Array.from(r.predictions)).toEqual(labels);
          expect(r.n).toBe(labels.length);
          expect(r.probabilities).toBeUndefined();
        }
      }),
      { seed: 11, numRuns: 25 },
    );
  });

  it('reads probability rows from JSON, CSV and Arrow and takes argmax with ties to the lowest index', async () => {
    await fc.assert(
      fc.asyncProperty(scoresArb, async (rows) => {
        const k = rows[0].length;
        const columns = Object.fromEntries(Array.from({ length: k }, (_, c) => [`p${c}`, rows.map((r) => r[c])]));
        const files = [
          write('json', JSON.stringify(rows)),
          write('json', JSON.stringify({ probabilities: rows })),
          write('csv', rows.map((r) => r.join(',')).join('\n')),
          write('csv', Object.keys(columns).join(',') + '\n' + rows.map((r) => r.join(',')).join('\n')),
          write('arrow', tableToIPC(tableFromArrays({ scores: rows }, { types: { scores: list(float32()) } }), { format: 'file' })!),
          write(
            'arrow',
            tableToIPC(tableFromArrays(columns, { types: Object.fromEntries(Object.keys(columns).map((c) => [c, float32()])) }), {
              format: 'file',
            })!,
          ),
        ];
        for (const file of files) {
          const r = await loadPredictions(file);
          expect(r.nClasses).toBe(k);
          expect(Array.from(r.predictions)).toEqual(rows.map(argmax));
          expect(Array.from(r.probabilities!)).toEqual(rows.flat());
        }
      }),
      { seed: 12, numRuns: 25 },
    );
  });

  it('drops the index column pandas writes with to_csv()', async () => {
    const r = await loadPredictions(write('csv', ',0\n0,4\n1,2\n2,9\n'));
    expect(Array.from(r.predictions)).toEqual([4, 2, 9]);
    const p = await loadPredictions(write('csv', 'Unnamed: 0,a,b\n0,0.2,0.8\n1,0.7,0.3\n'));
    expect(Array.from(p.predictions)).toEqual([1, 0]);
  });

  it('reads quoted CSV fields as one field, commas inside included', async () => {
    const p = await loadPredictions(write('csv', '"score, class 0","score, class 1"\r\n0.2,0.8\r\n"0.7",0.3\r\n'));
    expect(p.nClasses).toBe(2);
    expect(Array.from(p.predictions)).toEqual([1, 0]);
  });

  it('honours an explicit format for files without a known extension', async () => {
    const r = await loadPredictions(write('txt', '[1,2,3]'), { format: 'json' });
    expect(Array.from(r.predictions)).toEqual([1, 2, 3]);
    await expect(loadPredictions(write('txt', '[1]'))).rejects.toSatisfy((e) => isPieAuditError(e, 'INVALID_ARGUMENT'));
  });

  it('rejects labels that do not fit uint16, fractional labels, and NaN scores, naming the file', async () => {
    const big = write('json', '[1, 65536]');
    await expect(loadPredictions(big)).rejects.toSatisfy(
      (e) => isPieAuditError(e, 'LABEL_OUT_OF_RANGE') && (e as Error).message.includes(big),
    );
    await expect(loadPredictions(write('csv', '1\n2.5\n'))).rejects.toSatisfy((e) => isPieAuditError(e, 'LABEL_OUT_OF_RANGE'));
    await expect(loadPredictions(write('csv', '0.1,nan\n0.3,0.2\n'))).rejects.toSatisfy(
      (e) => isPieAuditError(e, 'NON_FINITE') && /example 0/.test((e as Error).message),
    );
  });

  it('reads .npy files written by numpy (labels via argmax of logits, as a PyTorch user would save them)', async () => {
    const file = join(dir, 'np.npy');
    const logitsFile = join(dir, 'logits.npy');
    execFileSync('/usr/bin/python3', [
      '-c',
      `import numpy as np
rng = np.random.default_rng(3)
logits = rng.standard_normal((50, 10)).astype(np.float32)
np.save(${JSON.stringify(file)}, logits.argmax(1).astype(np.uint16))
np.save(${JSON.stringify(logitsFile)}, logits)`,
    ]);
    const labels = await loadPredictions(file);
    const scores = await loadPredictions(logitsFile);
    expect(labels.n).toBe(50);
    expect(Array.from(scores.predictions)).toEqual(Array.from(labels.predictions));
  });

  it('reports a missing file as IO_ERROR and malformed JSON as CORRUPT_FILE', async () => {
    await expect(loadPredictions(join(dir, 'absent.json'))).rejects.toSatisfy((e) => isPieAuditError(e, 'IO_ERROR'));
    await expect(loadPredictions(write('json', '[1, 2'))).rejects.toSatisfy((e) => isPieAuditError(e, 'CORRUPT_FILE'));
  });
});
