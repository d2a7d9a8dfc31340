import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '../../src/data/npy.js';
import { syntheticPopulation } from '../audit/synthetic.js';
import { repoRoot, runCliInProcess as run, runCliProcess } from './cli-helpers.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pie-audit-cli-'));
  const s = syntheticPopulation({ seed: 21 });
  const population: Record<string, string[]> = {};
  for (const [level, members] of Object.entries(s.population)) {
    mkdirSync(join(dir, 'preds', level), { recursive: true });
    population[level] = members.map((m, i) => {
      const file = join('preds', level, `model-${i}.npy`);
      writeFileSync(join(dir, file), encodeNpy(Int32Array.from(m.predictions), [s.n]));
      return file;
    });
  }
  writeFileSync(join(dir, 'labels.npy'), encodeNpy(Int32Array.from(s.labels), [s.n]));
  writeFileSync(join(dir, 'groups.csv'), `region\n${Array.from(s.labels, (_, i) => (i % 2 ? 'north' : 'south')).join('\n')}\n`);
  writeFileSync(join(dir, 'gates-fail.json'), JSON.stringify({ maxPieRate: { '0.9': 0.01 }, minTop1: { '0.5': 0.5 } }));
  writeFileSync(join(dir, 'gates-pass.json'), JSON.stringify({ maxPieRate: { '0.9': 0.9 } }));
  writeFileSync(join(dir, 'gates-bad.json'), JSON.stringify({ maxPieRate: { '0.8': 0.1 } }));
  writeFileSync(
    join(dir, 'audit.json'),
    JSON.stringify({
      population,
      testSet: { labels: 'labels.npy', attributes: 'groups.csv' },
      classNames: ['a', 'b', 'c', 'd'],
      gates: 'gates-fail.json',
    }),
  );
  // The population as a folder: <dir>/<level>/<model>.npy
  writeFileSync(join(dir, 'audit-dir.json'), JSON.stringify({ population: 'preds', testSet: { labels: 'labels.npy' } }));
  writeFileSync(join(dir, 'audit-typo.json'), JSON.stringify({ population: 'preds', testSett: {} }));
});

describe('pie-audit CLI', () => {
  it('audits a population of prediction files, writes every report file and exits 1 when a gate fails (spawned bin)', () => {
    const out = join(dir, 'out');
    const r = runCliProcess(['audit', join(dir, 'audit.json'), '--out', out]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(1);
    for (const f of ['report.json', 'report.md', 'report.html', 'levels.csv', 'classes.csv'])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(r.stdout).toMatch(/verdict: FAIL \(exit 1\)/);
    expect(r.stdout).toMatch(/\[fail\] PIE rate .*% .*at level 0\.9 exceeds 1\.00%/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.exitCode).toBe(1);
    expect(report.testSet.attributeNames).toEqual(['region']);
    // The noise floor and the pairing design, as the demo prints them: the design, then one line per compressed level.
    const floor = r.stdout.slice(r.stdout.indexOf('seed-noise floor'));
    expect(floor).toMatch(/^seed-noise floor \(paired design: every compressed level holds exactly the baseline's member ids\):\n/);
    const floorLines = floor.split('\n').filter((l) => /^ {2}level /.test(l));
    expect(floorLines).toHaveLength(2);
    expect(floorLines[0]).toMatch(
      /^ {2}level 0\.5: \d+ PIEs? vs a noise floor of [\d.]+ \(95th percentile [\d.]+\): excess -?[\d.]+, p = [\d.]+.* \(paired, exact, 16 splits\)$/,
    );
    expect(floorLines[1]).toMatch(/^ {2}level 0\.9: /);
    for (const [i, line] of floorLines.entries()) {
      const f = report.levels[i + 1].pies.permutation;
      expect(line).toContain(`${f.observed} PIE`);
      expect(line).toContain(`(${f.design}, ${f.method}, ${f.splits} splits)`);
    }
  });

  it('report.json names models by their path relative to the config and their content hash, never by an absolute path', async () => {
    // The config lists absolute paths; the report must hold none of this machine's folders.
    const absolute = join(dir, 'audit-absolute.json');
    const population = Object.fromEntries(
      ['0', '0.5', '0.9'].map((level) => [level, [0, 1, 2, 3].map((i) => join(dir, 'preds', level, `model-${i}.npy`))]),
    );
    writeFileSync(absolute, JSON.stringify({ population, testSet: { labels: join(dir, 'labels.npy') } }));
    const out = join(dir, 'out-absolute');
    expect((await run(['audit', absolute, '--out', out, '--quiet'])).code).toBe(0);
    const text = readFileSync(join(out, 'report.json'), 'utf8');
    for (const machinePath of [dir, tmpdir(), homedir(), repoRoot.replace(/\/$/, '')]) expect(text).not.toContain(machinePath);
    expect(text).not.toMatch(/"\/(tmp|home|root|Users|work)\//);
    const report = JSON.parse(text);
    const model = report.levels[2].models[1];
    expect(model.id).toBe('preds/0.9/model-1.npy');
    const bytes = readFileSync(join(dir, 'preds', '0.9', 'model-1.npy'));
    expect(model.contentHash).toBe(createHash('sha256').update('file\0').update(bytes).digest('hex'));
    // Relative ids still pair the models by file name.
    expect(report.design.design).toBe('paired');
    expect(report.design.memberIds['0.9']).toEqual(['model-0', 'model-1', 'model-2', 'model-3']);
  });

  it('level keys above 1 (50, 90) get a hint that levels are sparsity fractions', async () => {
    const population = Object.fromEntries(
      [
        ['0', '0'],
        ['50', '0.5'],
        ['90', '0.9'],
      ].map(([key, level]) => [key, [0, 1, 2, 3].map((i) => join('preds', level, `model-${i}.npy`))]),
    );
    writeFileSync(join(dir, 'audit-percent.json'), JSON.stringify({ population, testSet: { labels: 'labels.npy' } }));
    const r = await run(['audit', join(dir, 'audit-percent.json'), '--out', join(dir, 'out-percent'), '--quiet']);
    expect(r.stderr).toContain(
      'pie-audit: hint: level keys 50, 90 are above 1: levels are sparsity fractions (0.9 is 90% sparsity); if they mean percent, ' +
        'rename them 0.5, 0.9',
    );
    expect((await run(['audit', join(dir, 'audit.json'), '--out', join(dir, 'out-fraction'), '--quiet'])).stderr).not.toContain('hint');
  });

  it('gates and renders a saved report', async () => {
    const out = join(dir, 'out');
    if (!existsSync(join(out, 'report.json'))) await run(['audit', join(dir, 'audit.json'), '--out', out, '--quiet']);
    // gate on the saved report: pass -> 0, failing -> 1, a gates file naming an unknown level -> 2
    expect((await run(['gate', join(out, 'report.json'), '--gates', join(dir, 'gates-pass.json')])).code).toBe(0);
    expect((await run(['gate', join(out, 'report.json'), '--gates', join(dir, 'gates-fail.json'), '--quiet'])).code).toBe(1);
    const bad = await run(['gate', join(out, 'report.json'), '--gates', join(dir, 'gates-bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/gates\.maxPieRate\.0\.8: unknown level/);

    // report rendering from the saved JSON
    const md = await run(['report', join(out, 'report.json'), '--format', 'md']);
    expect(md.code).toBe(0);
    expect(md.stdout.length).toBeGreaterThan(200);
    const csvDir = join(dir, 'csv');
    expect((await run(['report', join(out, 'report.json'), '--format', 'csv', '--out', csvDir])).code).toBe(0);
    expect(existsSync(join(csvDir, 'levels.csv'))).toBe(true);
    expect((await run(['report', join(out, 'report.json'), '--format', 'csv'])).code).toBe(2);
  });

  it('reads a population folder laid out <dir>/<level>/<model> and exits 0 without gates', async () => {
    const r = await run(['audit', join(dir, 'audit-dir.json'), '--out', join(dir, 'out-dir'), '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'out-dir', 'report.json'), 'utf8'));
    expect(report.levels.map((l: { key: string }) => l.key)).toEqual(['0', '0.5', '0.9']);
    expect(report.levels[0].populationSize).toBe(4);
  });

  it('audits JSON prediction files without labels or inputs: PIEs only, accuracy unavailable', async () => {
    const jdir = mkdtempSync(join(tmpdir(), 'pie-audit-json-'));
    const files = {
      '0': [
        [0, 1, 2, 2],
        [0, 1, 2, 1],
      ],
      int8: [
        [0, 2, 2, 2],
        [1, 2, 2, 2],
      ],
    };
    const population: Record<string, string[]> = {};
    for (const [level, list] of Object.entries(files)) {
      population[level] = list.map((p, i) => {
        writeFileSync(join(jdir, `${level}-${i}.json`), JSON.stringify({ predictions: p }));
        return `${level}-${i}.json`;
      });
    }
    writeFileSync(join(jdir, 'audit.json'), JSON.stringify({ population }));
    const r = await run(['audit', join(jdir, 'audit.json'), '--out', join(jdir, 'out'), '--quiet', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(jdir, 'out', 'report.json'), 'utf8'));
    expect(report.testSet.n).toBe(4);
    expect(report.testSet.hasLabels).toBe(false);
    // baseline modal [0, 1, 2, 2] ('max' breaks the 2-1 tie), int8 modal [1, 2, 2, 2] ('max' again)
    expect(report.levels[1].pies.count).toBe(2);
    expect(report.levels[1].accuracy.status).toBe('unavailable');
    expect(report.environment.backend).toBeNull();
  });

  it('fails with one clear line and exit 2 on usage and config errors', async () => {
    const spawned = runCliProcess(['frobnicate']);
    expect(spawned.code).toBe(2);
    expect(spawned.stderr.trim()).toBe(
      "pie-audit: error: unknown command 'frobnicate'; use audit, report, gate, diff, serve, demo, plan, run-shard, merge, worker or doctor (pie-audit --help).",
    );
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['audit', join(dir, 'audit.json')], /needs --out/],
      [['audit', join(dir, 'audit-typo.json'), '--out', join(dir, 'x')], /testSett: unknown key/],
      [['audit', join(dir, 'missing.json'), '--out', join(dir, 'x')], /Cannot read config file/],
      [['gate', join(dir, 'audit.json')], /needs --gates/],
      [['demo', '--models', 'zero'], /--models must be an integer/],
      [['audit', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it('prints help for every command', async () => {
    for (const command of [[], ['audit'], ['report'], ['gate'], ['demo'], ['plan'], ['run-shard'], ['merge'], ['worker'], ['doctor']]) {
      const r = await run([...command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage/);
    }
  });

  it('audits CelebA-format annotations: test split from the partition file, labels from an attribute', async () => {
    const celeba = join(repoRoot, 'test', 'fixtures', 'celeba');
    const cdir = mkdtempSync(join(tmpdir(), 'pie-audit-celeba-'));
    // Three test images (000004-000006); Blond_Hair there is -1, 1, -1.
    const preds = {
      '0': [
        [0, 1, 0],
        [0, 1, 0],
      ],
      '0.9': [
        [0, 0, 0],
        [0, 0, 1],
      ],
    };
    const population: Record<string, string[]> = {};
    for (const [level, list] of Object.entries(preds)) {
      population[level] = list.map((p, i) => {
        const f = join(cdir, `${level}-${i}.npy`);
        writeFileSync(f, encodeNpy(Int32Array.from(p), [3]));
        return f;
      });
    }
    writeFileSync(
      join(cdir, 'audit.json'),
      JSON.stringify({
        population,
        testSet: {
          attributes: join(celeba, 'list_attr_celeba.txt'),
          partition: join(celeba, 'list_eval_partition.txt'),
          split: 'test',
          labelsFromAttribute: 'Blond_Hair',
          attributeNames: ['Male', 'Young'],
        },
        classNames: ['not blond', 'blond'],
      }),
    );
    const r = await run(['audit', join(cdir, 'audit.json'), '--out', join(cdir, 'out'), '--quiet', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(cdir, 'out', 'report.json'), 'utf8'));
    expect(report.testSet.n).toBe(3);
    expect(report.testSet.labelCounts).toEqual([2, 1]);
    expect(report.testSet.attributeNames).toEqual(['Male', 'Young']);
    // Compressed modal labels [0, 0, 1] (the last is a 1-1 tie broken to 'max') vs baseline [0, 1, 0].
    expect(report.levels[1].pies.count).toBe(2);
    expect(report.levels[1].subgroups.status).toBe('ok');
  });
});
