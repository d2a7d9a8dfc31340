import { describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { evaluateGates } from '../../src/gate/evaluate-gates.js';
import { syntheticPopulation } from './synthetic.js';

const s = syntheticPopulation({ seed: 12 });
// The hurt class's examples carry group 'a': PIEs concentrate there, so the group is over-indexed.
const groups = Array.from(s.labels, (y, i) => (y === 2 || i % 7 === 0 ? 'a' : 'b'));

async function gateFor(name: string) {
  const attributes = Object.create(null) as Record<string, string[]>;
  attributes[name] = groups;
  const report = await auditCompression({ population: s.population, testSet: { labels: s.labels, attributes } });
  // Built as JSON text, as a gates file is read: `__proto__` is then an own key, as in any config file.
  const gates = JSON.parse(`{"attributes": {${JSON.stringify(name)}: {"maxOverIndex": 1.2, "levels": ["0.9"]}}}`);
  return { report, result: evaluateGates(report, gates).results[0] };
}

describe('attribute names from data', () => {
  it('audits __proto__, constructor and toString exactly like any other name', async () => {
    const reference = await gateFor('Group');
    expect(reference.result.status).toBe('fail');
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const { report, result } = await gateFor(name);
      expect(report.testSet.attributeNames, name).toEqual([name]);
      const level = report.levels.find((l) => l.key === '0.9');
      expect(level?.attributes.status, name).toBe('ok');
      expect(result.status, name).toBe(reference.result.status);
      expect(result.observed, name).toBe(reference.result.observed);
      expect(result.reason, name).not.toMatch(/no PIEs/);
    }
  });

  it('never reads an empty attribute table as "no PIEs"', async () => {
    const { report } = await gateFor('Group');
    const level = report.levels.find((l) => l.key === '0.9');
    if (level?.attributes.status !== 'ok') throw new Error('expected attribute rows');
    level.attributes.rows = [];
    const result = evaluateGates(report, { attributes: { Group: { maxOverIndex: 1.2, levels: ['0.9'] } } }).results[0];
    expect(result.status).toBe('inconclusive');
    expect(result.reason).not.toMatch(/no PIEs/);
  });
});
