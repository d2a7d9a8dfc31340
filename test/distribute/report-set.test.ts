/**
 * plan / run-shard / merge writes the same report set as one in-process audit: report.json apart from
 * timings, and the full PIE list (pies.csv, pies.arrow) byte for byte. A population of predictions files
 * (no model runs), with labels and an attribute, so the PIEs far outnumber the report's exemplars.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/random/mulberry32.js';
import type { AuditReport } from '../../src/schema/index.js';
import { runCliInProcess } from '../cli/cli-helpers.js';
import { comparable, tempDir } from './helpers.js';

const N = 240;
const CLASSES = 4;

/** A config of 3 baseline and 3 compressed members as JSON predictions files, labels and a group attribute as CSV. */
function predictionsConfig(dir: string): string {
  const random = mulberry32(17);
  const labels = Array.from({ length: N }, () => Math.floor(random() * CLASSES));
  // Baselines right 90% of the time, the compressed level 60%: many PIEs, few exemplars (maxExemplars 3).
  const member = (accuracy: number) => labels.map((y) => (random() < accuracy ? y : (y + 1 + Math.floor(random() * 3)) % CLASSES));
  const population: Record<string, string[]> = { '0': [], '0.9': [] };
  for (const [level, accuracy] of [
    ['0', 0.9],
    ['0.9', 0.6],
  ] as const) {
    for (let k = 0; k < 3; k++) {
      const file = join(dir, `level-${level}-seed-${k}.json`);
      writeFileSync(file, JSON.stringify({ predictions: member(accuracy) }));
      population[level].push(file);
    }
  }
  writeFileSync(join(dir, 'labels.csv'), `label\n${labels.join('\n')}\n`);
  writeFileSync(join(dir, 'groups.csv'), `group\n${labels.map((_, i) => (i % 3 === 0 ? 'a' : 'b')).join('\n')}\n`);
  const config = join(dir, 'audit.json');
  writeFileSync(
    config,
    JSON.stringify({ population, testSet: { labels: 'labels.csv', attributes: 'groups.csv' }, maxExemplars: 3, seed: 5 }),
  );
  return config;
}

const read = (dir: string, name: string) => readFileSync(join(dir, name));
const report = (dir: string) => JSON.parse(read(dir, 'report.json').toString('utf8')) as AuditReport;

describe('the report set of a distributed audit', () => {
  it('plan / run-shard / merge writes the report set of pie-audit audit: report.json, pies.csv and pies.arrow', async () => {
    const dir = tempDir('set');
    const config = predictionsConfig(dir);
    const direct = join(dir, 'direct');
    const merged = join(dir, 'merged');
    expect((await runCliInProcess(['audit', config, '--out', direct, '--quiet'])).code).toBe(0);
    expect((await runCliInProcess(['plan', config, '--shards', '2', '--out', join(dir, 'plan'), '--quiet'])).code).toBe(0);
    for (const index of ['0', '1'])
      expect((await runCliInProcess(['run-shard', join(dir, 'plan'), '--index', index, '--quiet'])).code).toBe(0);
    expect((await runCliInProcess(['merge', join(dir, 'plan'), '--out', merged, '--quiet'])).code).toBe(0);

    expect(comparable(report(merged))).toEqual(comparable(report(direct)));
    const pies = read(direct, 'pies.csv').toString('utf8').trim().split('\n').length - 1;
    const exemplars = report(direct).levels[1].exemplars;
    // The full list, not the exemplars: the case the merge used to lose.
    expect(pies).toBeGreaterThan(20);
    expect(exemplars.length).toBeLessThanOrEqual(3);
    expect(read(merged, 'pies.csv').equals(read(direct, 'pies.csv'))).toBe(true);
    expect(read(merged, 'pies.arrow').equals(read(direct, 'pies.arrow'))).toBe(true);
    for (const name of ['classes.csv', 'levels.csv', 'attributes.csv'])
      expect(read(merged, name).toString('utf8'), name).toBe(read(direct, name).toString('utf8'));
  });
});
