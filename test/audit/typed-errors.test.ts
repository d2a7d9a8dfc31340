import { describe, expect, it } from 'vitest';
import { populationRecall, perClassRecall, subgroupErrorRates, topOneAccuracy } from '../../src/analysis/index.js';
import { fisherExactTest, welchTTest } from '../../src/analysis/stats/index.js';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { isPieAuditError } from '../../src/errors.js';
import { loadPredictions } from '../../src/evaluate/predictions/load-predictions.js';
import { evaluateGates } from '../../src/gate/evaluate-gates.js';

const labels = [0, 1, 1, 0, 1, 0];
const p = (a: number[]) => ({ predictions: a });
const base = { population: { 0: [p(labels), p(labels)], 0.9: [p(labels), p([1, 1, 1, 0, 1, 0])] }, testSet: { labels } };
const bad = <T>(v: unknown) => v as T;

/** Each call must fail with a PieAuditError of `code` whose message names `names`. */
const cases: Array<[string, () => unknown, string, string]> = [
  ['inputShape: 5', () => auditCompression({ ...base, testSet: { labels, inputShape: bad(5) } }), 'CONFIG_ERROR', 'testSet.inputShape'],
  [
    '{ predictions: null }',
    () => auditCompression({ ...base, population: { 0: [bad({ predictions: null })], 0.9: [p(labels)] } }),
    'INVALID_ARGUMENT',
    'predictions',
  ],
  [
    'predict() resolving to null',
    () =>
      auditCompression({
        population: { 0: [bad({ predict: async () => null })], 0.9: [p(labels)] },
        testSet: { labels, inputs: new Float32Array(6), inputShape: [1] },
      }),
    'SHAPE_MISMATCH',
    'predict()',
  ],
  [
    'a Map with an object key',
    () =>
      auditCompression({
        ...base,
        population: new Map<unknown, unknown>([
          [{}, [p(labels)]],
          [0, [p(labels)]],
        ]) as never,
      }),
    'CONFIG_ERROR',
    'level key',
  ],
  [
    'a NaN Map key',
    () =>
      auditCompression({
        ...base,
        population: new Map<unknown, unknown>([
          [Number.NaN, [p(labels)]],
          [0, [p(labels)]],
        ]) as never,
      }),
    'CONFIG_ERROR',
    'NaN',
  ],
  ['onProgress: 5', () => auditCompression({ ...base, onProgress: bad(5) }), 'CONFIG_ERROR', 'onProgress'],
  [
    'sparse classNames',
    () => auditCompression({ ...base, classNames: bad(Object.assign(new Array(2), { 1: 'b' })) }),
    'CONFIG_ERROR',
    'classNames',
  ],
  [
    'levels 0.3 and 0.30',
    () => auditCompression({ ...base, population: { 0: [p(labels)], '0.30': [p(labels)], '0.3': [p(labels)] } }),
    'CONFIG_ERROR',
    "'0.30' and '0.3'",
  ],
  [
    'no level 0, no baseline',
    () => auditCompression({ ...base, population: { 32: [p(labels)], 16: [p(labels)], 8: [p(labels)] } }),
    'CONFIG_ERROR',
    'baseline',
  ],
  [
    "'0x10' is not level 16",
    () => auditCompression({ ...base, population: { 0: [p(labels)], '0x10': [p(labels)] }, gates: { maxPieRate: { 16: 0.1 } } }),
    'CONFIG_ERROR',
    "'16'",
  ],
  ['evaluateGates(null)', () => evaluateGates(bad(null), { maxPieRate: { '0.9': 0.1 } }), 'INVALID_ARGUMENT', 'report'],
  ['perClassRecall(null)', () => perClassRecall(bad(null), [0], 2), 'INVALID_ARGUMENT', 'labels'],
  ['topOneAccuracy(null)', () => topOneAccuracy(bad(null), [0]), 'INVALID_ARGUMENT', 'labels'],
  ['subgroupErrorRates(null)', () => subgroupErrorRates(bad(null), [0], [0], { positiveClass: 1 }), 'INVALID_ARGUMENT', 'labels'],
  ['populationRecall(null)', () => populationRecall(bad(null), [[0]], 2), 'INVALID_ARGUMENT', 'labels'],
  ['a directory as a .npy path', () => loadPredictions('/tmp', { format: 'npy' }), 'IO_ERROR', '/tmp'],
  [
    'fisherExactTest on counts of 1e9',
    () =>
      fisherExactTest([
        [1e9, 1e9],
        [1e9, 1e9],
      ]),
    'INVALID_ARGUMENT',
    'chiSquareTest',
  ],
  ['welchTTest beyond 1e154', () => welchTTest([1e200, 3e200, 2e200], [5e200, 9e200, 1e201]), 'NON_FINITE', 'rescale'],
];

describe('bad input is a typed PieAuditError naming the argument', () => {
  for (const [what, call, code, names] of cases) {
    it(what, async () => {
      const error = await Promise.resolve()
        .then(call)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(isPieAuditError(error), String(error)).toBe(true);
      expect((error as { code: string }).code).toBe(code);
      expect((error as Error).message).toContain(names);
    });
  }

  it('still tests large but tractable tables and scales exactly below the overflow', () => {
    expect(
      fisherExactTest([
        [400, 300],
        [350, 420],
      ]).p,
    ).toBeGreaterThan(0);
    const small = welchTTest([1, 3, 2], [5, 9, 10]);
    const scaled = welchTTest([1e150, 3e150, 2e150], [5e150, 9e150, 10e150]);
    expect(scaled.p).toBeCloseTo(small.p, 12);
    expect(Number.isFinite(scaled.varA)).toBe(true);
  });
});
