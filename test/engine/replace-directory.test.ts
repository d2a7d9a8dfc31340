import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/engine/process-alive.js';
import { replaceDirectory } from '../../src/engine/replace-directory.js';

const root = mkdtempSync(join(tmpdir(), 'pie-replace-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
/** The id of a process that has exited: what a kill -9 leaves in leftover names. */
const deadPid = (): number =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout.trim());

function dirWith(path: string, content: string): void {
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'model.json'), content);
}

describe('replaceDirectory after a killed save', () => {
  it("removes a dead writer's half-written copy and keeps a live writer's", async () => {
    const pid = deadPid();
    expect(isProcessAlive(pid)).toBe(false);
    const target = join(root, 'a', 'seed-1');
    dirWith(target, 'old');
    dirWith(`${target}.tmp-${pid}-0a0b0c0d`, 'half');
    dirWith(`${target}.tmp-${process.pid}-0e0f0a0b`, 'busy');
    await replaceDirectory(target, true, async (tmp) => writeFileSync(join(tmp, 'model.json'), 'new'));
    expect(readFileSync(join(target, 'model.json'), 'utf8')).toBe('new');
    expect(readdirSync(join(root, 'a')).sort()).toEqual(['seed-1', `seed-1.tmp-${process.pid}-0e0f0a0b`]);
  });

  it('puts back the complete old copy when the kill came between the two renames', async () => {
    const pid = deadPid();
    const target = join(root, 'b', 'seed-1');
    dirWith(`${target}.old-${pid}-01020304`, 'previous');
    let seenBeforeFill = '';
    await replaceDirectory(target, false, async (tmp) => {
      seenBeforeFill = readFileSync(join(target, 'model.json'), 'utf8');
      writeFileSync(join(tmp, 'model.json'), 'new');
    });
    expect(seenBeforeFill).toBe('previous');
    expect(readFileSync(join(target, 'model.json'), 'utf8')).toBe('new');
    expect(readdirSync(join(root, 'b'))).toEqual(['seed-1']);
    expect(existsSync(`${target}.old-${pid}-01020304`)).toBe(false);
  });
});
