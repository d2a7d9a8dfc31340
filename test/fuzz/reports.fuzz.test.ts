import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateGates } from '../../src/gate/evaluate-gates.js';
import { renderCsvTables } from '../../src/report/csv.js';
import { renderHtml } from '../../src/report/html.js';
import { loadReport } from '../../src/report/load-report.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { makeAuditReport } from '../report/fixtures.js';
import { FUZZ_SEED, mutateAt, oddValue, pathsOf, typedOrValue } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-fuzz-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = JSON.parse(JSON.stringify(makeAuditReport({ seed: 31, levels: ['0', '0.5', '0.9'], classes: 4, modelsPerLevel: 3 })));
const paths = pathsOf(base);
const gates = { maxPieRate: { '0.9': 0.05 }, minTop1: { '0.5': 0.5 }, maxSignificantlyHurtClasses: { '0.9': 0 } };

describe('fuzz: mutated report.json through loadReport, every renderer and evaluateGates', () => {
  it('gives a typed error or renders; nothing else throws', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: paths.length - 1 }), oddValue), { minLength: 1, maxLength: 3 }),
        async (mutations) => {
          let report = base;
          for (const [i, v] of mutations) {
            try {
              report = mutateAt(report, paths[i], v);
            } catch {
              // the path went away with an earlier mutation
            }
          }
          const file = join(dir, 'report.json');
          writeFileSync(file, JSON.stringify(report) ?? 'null');
          const loaded = await typedOrValue(() => loadReport(file));
          const parsed = loaded.value;
          if (!parsed) return;
          accepted++;
          renderHtml(parsed);
          renderMarkdown(parsed);
          renderCsvTables(parsed);
          await typedOrValue(() => evaluateGates(parsed, gates));
        },
      ),
      { seed: FUZZ_SEED, numRuns: 400, interruptAfterTimeLimit: 20_000 },
    );
    expect(accepted).toBeGreaterThan(0);
  }, 30_000);
});
