import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditCompression } from '../../src/audit/audit-compression.js';
import { loadAuditConfig } from '../../src/audit/audit-config.js';
import { encodeNpy } from '../../src/data/npy.js';
import { selectCelebaSplit } from '../../src/data/celeba.js';
import { isPieAuditError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const labels = [0, 1, 1, 0, 1, 0, 0, 1];
let counter = 0;
function config(body: unknown): string {
  const path = join(dir, `c${counter++}.json`);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
}
function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    return { code: isPieAuditError(e) ? e.code : `untyped ${String(e)}`, message: (e as Error).message };
  }
  return { code: 'none', message: '' };
}
for (const level of ['0', '0.9']) {
  mkdirSync(join(dir, 'preds', level), { recursive: true });
  for (const m of [0, 1])
    writeFileSync(
      join(dir, 'preds', level, `m${m}.npy`),
      encodeNpy(
        Int32Array.from(labels, (y, i) => (level === '0.9' && m === 1 && i < 2 ? 1 - y : y)),
        [labels.length],
      ),
    );
}
writeFileSync(join(dir, 'labels.npy'), encodeNpy(Int32Array.from(labels), [labels.length]));

describe('loadAuditConfig', () => {
  it('names the key of a path that is not a string', () => {
    for (const [body, key] of [
      [{ population: 5 }, 'population'],
      [{ population: 'preds', testSet: { labels: 7 } }, 'testSet.labels'],
      [{ population: 'preds', testSet: { inputs: null } }, 'testSet.inputs'],
      [{ population: { 0: [1] } }, 'population.0[0]'],
      [{ population: 'preds', cache: false }, 'cache'],
      [{ population: 'preds', testSet: { inputShape: 5 } }, 'testSet.inputShape'],
    ] as const) {
      const error = errorOf(() => loadAuditConfig(config(body)));
      expect(error.code, key).toBe('CONFIG_ERROR');
      expect(error.message, key).toContain(key);
    }
  });

  it('refuses JSON nested 200,000 deep with a typed error, not a stack overflow', () => {
    const deep = `{"population": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    expect(errorOf(() => loadAuditConfig(config(deep))).code).toBe('CONFIG_ERROR');
  });

  it('keeps attribute names such as __proto__, constructor and toString as plain attributes', async () => {
    const rows = labels.map((_, i) => `${i % 2},${i % 3 === 0 ? 'x' : 'y'},${i < 4 ? 1 : 0}`);
    writeFileSync(join(dir, 'attrs.csv'), `__proto__,constructor,toString\n${rows.join('\n')}\n`);
    const { options } = loadAuditConfig(config({ population: 'preds', testSet: { labels: 'labels.npy', attributes: 'attrs.csv' } }));
    const attributes = options.testSet.attributes ?? {};
    expect(Object.keys(attributes).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    const proto = '__proto__';
    expect(Array.from(attributes[proto])).toEqual(labels.map((_, i) => i % 2));
    const report = await auditCompression(options);
    expect(report.testSet.attributeNames).toEqual(['__proto__', 'constructor', 'toString']);
  });

  it('rejects duplicate attribute columns instead of letting one overwrite the other', () => {
    writeFileSync(join(dir, 'dup.csv'), `group,group\n${labels.map(() => '1,2').join('\n')}\n`);
    const error = errorOf(() => loadAuditConfig(config({ population: 'preds', testSet: { labels: 'labels.npy', attributes: 'dup.csv' } })));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toContain("'group'");
  });

  it("lists a level folder's save leftovers as warnings and keeps the folders' level order", async () => {
    mkdirSync(join(dir, 'bits', '32'), { recursive: true });
    for (const level of ['32', '16', '8']) {
      mkdirSync(join(dir, 'bits', level), { recursive: true });
      writeFileSync(join(dir, 'bits', level, 'm.npy'), encodeNpy(Int32Array.from(labels), [labels.length]));
    }
    mkdirSync(join(dir, 'bits', '8', 'seed-1.tmp-123-abcdef01'));
    const loaded = loadAuditConfig(config({ population: 'bits', testSet: { labels: 'labels.npy' } }));
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toContain('seed-1.tmp-123-abcdef01');
    expect([...(loaded.options.population as Map<string, unknown>).keys()]).toEqual(['8', '16', '32']);
    // No level 0 and no baseline: the audit asks instead of guessing.
    const error = await auditCompression(loaded.options).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPieAuditError(error, 'CONFIG_ERROR') && (error as Error).message).toMatch(/^baseline: is required/);
    const withBaseline = loadAuditConfig(config({ population: 'bits', testSet: { labels: 'labels.npy' }, baseline: '32' }));
    expect((await auditCompression(withBaseline.options)).baselineLevel).toBe('32');
  });

  it('takes CelebA split names as names only (constructor is not a split)', () => {
    const attributes = { imageIds: ['a.jpg'], attributeNames: ['Male'], values: { Male: Int8Array.of(1) } };
    const partition = { imageIds: ['a.jpg'], partition: Uint8Array.of(2) };
    expect(selectCelebaSplit(attributes, partition, 'test').rows).toEqual([0]);
    expect(errorOf(() => selectCelebaSplit(attributes, partition, 'constructor' as 'test')).code).toBe('INVALID_ARGUMENT');
  });
});
