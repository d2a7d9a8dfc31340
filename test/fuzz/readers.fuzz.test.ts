import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { float32, list, tableFromArrays, tableToIPC } from '@uwdata/flechette';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAuditConfig } from '../../src/audit/audit-config.js';
import { encodeNpy } from '../../src/data/npy.js';
import { loadPredictions } from '../../src/evaluate/predictions/load-predictions.js';
import { FUZZ_SEED, mutateAt, oddValue, pathsOf, typedOrValue } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-fuzz-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const write = (ext: string, content: string | Uint8Array) => {
  const file = join(dir, `f${counter++}.${ext}`);
  writeFileSync(file, content);
  return file;
};

const seeds: Record<string, Uint8Array> = {
  npy: encodeNpy(new Float32Array([0.1, 0.9, 0.7, 0.3, 0.5, 0.5]), [3, 2]),
  arrow: tableToIPC(
    tableFromArrays(
      {
        scores: [
          [0.1, 0.9],
          [0.7, 0.3],
        ],
      },
      { types: { scores: list(float32()) } },
    ),
    { format: 'file' },
  ) as Uint8Array,
  json: new TextEncoder().encode('{"probabilities": [[0.1, 0.9], [0.7, 0.3]]}'),
  csv: new TextEncoder().encode('0,1\n0.1,0.9\n0.7,0.3\n'),
};
const csvText = fc
  .array(fc.constantFrom('0', '1', '0.5', '-2', 'e5', '.', ',', '\n', '\r\n', '"', ' ', 'nan', 'inf', 'x', '0x10', '65536', '\ufeff'), {
    maxLength: 40,
  })
  .map((t) => t.join(''));

function checkLoaded(r: Awaited<ReturnType<typeof loadPredictions>>): void {
  expect(r.predictions.length).toBe(r.n);
  if (r.probabilities) {
    expect(r.probabilities.length).toBe(r.n * (r.nClasses ?? 0));
    expect(r.probabilities.every(Number.isFinite)).toBe(true);
  }
}

describe('fuzz: predictions readers', () => {
  it('byte-flipped .npy, Arrow, JSON and CSV files: a typed error or consistent predictions', async () => {
    const flips = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('npy', 'arrow', 'json', 'csv'), flips, fc.nat(), async (format, changes, cut) => {
        const bytes = seeds[format].slice();
        for (const [at, v] of changes) bytes[at % bytes.length] = v;
        const file = write(format, cut % 5 === 0 ? bytes.subarray(0, cut % bytes.length) : bytes);
        const { value } = await typedOrValue(() => loadPredictions(file));
        if (value) checkLoaded(value);
      }),
      { seed: FUZZ_SEED, numRuns: 400, interruptAfterTimeLimit: 10_000 },
    );
  }, 20_000);

  it('random CSV text: a typed error or consistent predictions', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, async (text) => {
        const { value } = await typedOrValue(() => loadPredictions(write('csv', text)));
        if (value) checkLoaded(value);
      }),
      { seed: FUZZ_SEED, numRuns: 300, interruptAfterTimeLimit: 10_000 },
    );
  }, 20_000);
});

describe('fuzz: the CLI config', () => {
  mkdirSync(join(dir, 'preds', '0'), { recursive: true });
  mkdirSync(join(dir, 'preds', '0.9'), { recursive: true });
  for (const level of ['0', '0.9']) writeFileSync(join(dir, 'preds', level, 'm.npy'), encodeNpy(new Int32Array([0, 1, 1, 0]), [4]));
  writeFileSync(join(dir, 'labels.npy'), encodeNpy(new Int32Array([0, 1, 1, 0]), [4]));
  writeFileSync(join(dir, 'groups.csv'), 'region\nn\ns\nn\ns\n');
  const base = {
    population: 'preds',
    testSet: { labels: 'labels.npy', attributes: 'groups.csv', attributeNames: ['region'] },
    classNames: ['a', 'b'],
    gates: { maxPieRate: { '0.9': 0.5 } },
    alpha: 0.05,
  };
  const paths = pathsOf(base);

  it('mutated configs: a typed error or audit options', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: paths.length - 1 }), oddValue), { minLength: 1, maxLength: 3 }),
        async (mutations) => {
          let config: unknown = base;
          for (const [i, v] of mutations) {
            try {
              config = mutateAt(config, paths[i], v);
            } catch {
              // the path went away with an earlier mutation
            }
          }
          await typedOrValue(() => loadAuditConfig(write('json', JSON.stringify(config) ?? 'null')));
        },
      ),
      { seed: FUZZ_SEED, numRuns: 300, interruptAfterTimeLimit: 10_000 },
    );
  }, 20_000);
});
