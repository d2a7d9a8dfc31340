import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/data/npy.js';
import { isPieAuditError } from '../../src/errors.js';
import { scanPopulationFolder } from '../../src/population/scan-population-folder.js';
import { leftoverName } from '../../src/population/leftover-name.js';
import { numericLevel } from '../../src/schema/level-key.js';

const root = mkdtempSync(join(tmpdir(), 'pie-scan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const npy = encodeNpy(new Int32Array([0, 1, 1]), [3]);

/** A folder from `{ 'level/file': content | null (folder) }`. */
function folder(layout: Record<string, string | Uint8Array | null>): string {
  const dir = join(root, `p${counter++}`);
  for (const [path, content] of Object.entries(layout)) {
    if (content === null) mkdirSync(join(dir, path), { recursive: true });
    else {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  }
  return dir;
}

function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    return { code: isPieAuditError(e) ? e.code : `untyped ${String(e)}`, message: (e as Error).message };
  }
  return { code: 'none', message: '' };
}

describe('scanPopulationFolder', () => {
  it('lists levels numerically, then names; members in natural order; extensions in any case', () => {
    const dir = folder({
      '0.9/m-10.NPY': npy,
      '0.9/m-2.npy': npy,
      '0/M.Npy': npy,
      'int8/a.csv': '0\n1\n1\n',
      '0/seed/model.JSON': '{}',
      'README.md': 'x',
    });
    const scan = scanPopulationFolder(dir);
    expect(scan.levels.map((l) => l.dirName)).toEqual(['0', '0.9', 'int8']);
    expect(scan.levels[1].members.map((m) => m.name)).toEqual(['m-2.npy', 'm-10.NPY']);
    expect(scan.levels[0].members.map((m) => [m.name, m.kind])).toEqual([
      ['M.Npy', 'predictions'],
      ['seed', 'tfjs'],
    ]);
    expect(scan.levels[0].members[1].path).toBe(join(dir, '0', 'seed', 'model.JSON'));
    expect(scan.warnings).toEqual([]);
  });

  it('never audits the leftovers of a killed save, and lists them', () => {
    const dir = folder({
      '0/seed-1/model.json': '{}',
      '0/seed-1.old-4242-0a1b2c3d/model.json': '{}',
      '0/seed-1.tmp-4242-0a1b2c3d/model.json': '{}',
      '0.5/seed-1/model.json': '{}',
      '0.5.tmp-99-ff00ff00/seed-1/model.json': '{}',
    });
    const scan = scanPopulationFolder(dir);
    expect(scan.levels.map((l) => [l.dirName, l.members.map((m) => m.name)])).toEqual([
      ['0', ['seed-1']],
      ['0.5', ['seed-1']],
    ]);
    expect(scan.warnings).toHaveLength(3);
    expect(scan.warnings.join('\n')).toContain('seed-1.old-4242-0a1b2c3d');
    expect(leftoverName('seed-1.old-4242-0a1b2c3d')).toEqual({ target: 'seed-1', kind: 'old', pid: 4242 });
    expect(leftoverName('seed-1.older')).toBeNull();
  });

  it('turns every silent drop or hang into a typed error naming the path', () => {
    const cases: Array<[string, () => string, string]> = [
      ['empty level', () => folder({ '0/a.npy': npy, '0.5': null }), 'EMPTY_POPULATION'],
      ['model folder without model.json', () => folder({ '0/a.npy': npy, '0/seed-3/weights.bin': 'x' }), 'CORRUPT_MODEL'],
      ['no levels', () => folder({ 'README.md': 'x' }), 'EMPTY_POPULATION'],
      ['two folders for one level', () => folder({ '0/a.npy': npy, '0.3/a.npy': npy, '0.30/a.npy': npy }), 'CONFIG_ERROR'],
      [
        'dangling link',
        () => {
          const dir = folder({ '0/a.npy': npy });
          symlinkSync(join(dir, 'gone.npy'), join(dir, '0', 'b.npy'));
          return dir;
        },
        'IO_ERROR',
      ],
      [
        'link loop',
        () => {
          const dir = folder({ '0/a.npy': npy });
          symlinkSync(join(dir, '0', 'loop.npy'), join(dir, '0', 'loop.npy'));
          return dir;
        },
        'IO_ERROR',
      ],
      [
        'FIFO named .npy',
        () => {
          const dir = folder({ '0/a.npy': npy });
          execFileSync('mkfifo', [join(dir, '0', 'pipe.npy')]);
          return dir;
        },
        'IO_ERROR',
      ],
      [
        'link to /dev/zero named .npy',
        () => {
          const dir = folder({ '0/a.npy': npy });
          symlinkSync('/dev/zero', join(dir, '0', 'zero.npy'));
          return dir;
        },
        'IO_ERROR',
      ],
      ['missing folder', () => join(root, 'absent'), 'IO_ERROR'],
    ];
    for (const [what, make, code] of cases) {
      const dir = make();
      const error = errorOf(() => scanPopulationFolder(dir));
      expect(error.code, what).toBe(code);
      expect(error.message, what).toContain(dir);
    }
  });

  it('reads level names as decimal numbers only', () => {
    expect(numericLevel('0.30')).toBe(0.3);
    expect(numericLevel(' 0 ')).toBe(0);
    expect(numericLevel('0x10')).toBeNull();
    expect(numericLevel('1e-1')).toBeNull();
    expect(numericLevel('NaN')).toBeNull();
    expect(numericLevel('int8')).toBeNull();
  });
});
