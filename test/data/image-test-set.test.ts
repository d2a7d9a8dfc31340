import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listImageTestSet, readImageList } from '../../src/data/image-test-set.js';
import { isPieAuditError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'pie-image-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('image lists', () => {
  it('reads a CSV list: paths under root in row order, class names in sorted order, other columns as attributes', () => {
    writeFileSync(join(dir, 'list.csv'), 'file,species,skin,age\nimgs/b.png,dog,light,31\nimgs/a.jpg,cat,,7\nimgs/c.png,dog,dark,NA\n');
    const set = readImageList({ list: join(dir, 'list.csv'), pathColumn: 'file', labelColumn: 'species' });
    expect(set.paths).toEqual(['b.png', 'a.jpg', 'c.png'].map((f) => join(dir, 'imgs', f)));
    expect(set.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(set.labels!)).toEqual([1, 0, 1]);
    expect({ ...set.attributes }).toEqual({ skin: ['light', null, 'dark'], age: [31, 7, null] });
    writeFileSync(join(dir, 'indices.csv'), 'path,label\nx.png,2\ny.png,0\n');
    const indexed = readImageList({ list: join(dir, 'indices.csv'), root: join(dir, 'elsewhere') });
    expect(Array.from(indexed.labels!)).toEqual([2, 0]);
    expect(indexed.classNames).toBeNull();
    expect(indexed.paths[0]).toBe(join(dir, 'elsewhere', 'x.png'));
  });

  it('refuses absolute paths, unknown columns and keys, and unreadable image types in class folders, naming them', () => {
    writeFileSync(join(dir, 'abs.csv'), 'path\n/etc/passwd\n');
    expect(() => readImageList({ list: join(dir, 'abs.csv') })).toThrow(/not a relative path inside/);
    expect(() => readImageList({ list: join(dir, 'abs.csv'), labelColumn: 'klass' })).toThrow(/labelColumn.*klass/);
    expect(() => listImageTestSet({ folder: dir, extra: 1 } as never)).toThrow(/testSet\.images\.extra/);
    mkdirSync(join(dir, 'tree', 'a'), { recursive: true });
    writeFileSync(join(dir, 'tree', 'a', 'x.bmp'), 'BM');
    try {
      listImageTestSet(join(dir, 'tree'));
      expect.unreachable();
    } catch (e) {
      expect(isPieAuditError(e, 'CORRUPT_FILE') && String(e).includes('x.bmp')).toBe(true);
    }
    mkdirSync(join(dir, 'empty'));
    expect(() => listImageTestSet(join(dir, 'empty'))).toThrow(/no class folders/);
  });
});
