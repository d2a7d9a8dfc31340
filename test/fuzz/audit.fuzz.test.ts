import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { REPORT_SHAPE } from '../../src/report/report-shape.js';
import { syntheticPopulation } from '../audit/synthetic.js';
import { FUZZ_SEED, mutateAt, nonFinitePaths, oddValue, pathsOf, typedOrValue } from './helpers.js';

const s = syntheticPopulation({ seed: 5, perClass: 12, models: 3, nClasses: 3, hurtClass: 1 });
const base = {
  population: Object.fromEntries(
    Object.entries(s.population).map(([k, ms]) => [k, ms.map((m) => ({ predictions: Array.from(m.predictions) }))]),
  ),
  testSet: {
    labels: Array.from(s.labels),
    attributes: { region: Array.from(s.labels, (_, i) => (i % 3 ? 'north' : 'south')), age: Array.from(s.labels, (_, i) => i % 4) },
  },
  classNames: ['a', 'b', 'c'],
  alpha: 0.05,
  correction: 'bh',
  seed: 1,
  maxExemplars: 3,
  gates: { maxPieRate: { '0.9': 0.1 }, attributes: { region: { maxOverIndex: 1.5 } } },
};
const paths = pathsOf(base).filter((p) => p.length <= 4);

describe('fuzz: auditCompression options', () => {
  it('gives a typed error, or a report that matches the schema with no NaN, Infinity or undefined', async () => {
    let reports = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: paths.length - 1 }), oddValue), { minLength: 1, maxLength: 2 }),
        async (mutations) => {
          let options: unknown = base;
          for (const [i, v] of mutations) {
            try {
              options = mutateAt(options, paths[i], v);
            } catch {
              // the path went away with an earlier mutation
            }
          }
          const { value } = await typedOrValue(() => auditCompression(options as Parameters<typeof auditCompression>[0]));
          if (!value) return;
          reports++;
          expect(nonFinitePaths(value)).toEqual([]);
          expect(REPORT_SHAPE(JSON.parse(JSON.stringify(value)), '')).toBeNull();
        },
      ),
      { seed: FUZZ_SEED, numRuns: 250, interruptAfterTimeLimit: 15_000 },
    );
    expect(reports).toBeGreaterThan(0);
  }, 30_000);
});
