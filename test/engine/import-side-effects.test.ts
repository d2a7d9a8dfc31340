import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const entry = JSON.stringify(join(repoRoot, 'src/index.ts'));
// The scripts live in a temporary folder: import tfjs by the URL this project resolves it to.
const tfjs = JSON.stringify(createRequire(import.meta.url).resolve('@tensorflow/tfjs'));
const dir = mkdtempSync(join(tmpdir(), 'pie-audit-side-effects-'));

/** Runs a user's script (ESM, importing pie-audit's sources) in a fresh Node process. */
function runUserScript(name: string, source: string): { code: number | null; stdout: string; stderr: string } {
  const file = join(dir, `${name}.mts`);
  writeFileSync(file, source);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('importing pie-audit leaves tfjs and the process as the user set them up', () => {
  it('plain tfjs code works after the import, on the backend tfjs itself picks, with no wasm registered', () => {
    const r = runUserScript(
      'plain-tfjs',
      `import tf from ${tfjs};
import * as pie from ${entry};
const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
const out = model.predict(tf.zeros([1, 3])) as tf.Tensor;
const wasm = tf.findBackendFactory('wasm') !== null;
console.log(JSON.stringify({ exports: Object.keys(pie).length, shape: out.shape, backend: tf.getBackend(), wasm }));`,
    );
    // tfjs's own cpu-backend notice may appear on stderr; no error may.
    expect(r.stderr).not.toMatch(/error|not yet been initialized/i);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ exports: expect.any(Number), shape: [1, 2], backend: 'cpu', wasm: false });
  });

  it('after the wasm backend starts, an uncaught error in user code exits 1 with the error of the user', () => {
    const r = runUserScript(
      'uncaught',
      `import { initBackend } from ${entry};
const info = await initBackend({ backend: 'wasm' });
console.log(info.name, info.packages['@tensorflow/tfjs-backend-wasm']);
setTimeout(() => { throw new Error('user code failed after wasm init'); }, 0);`,
    );
    expect(r.stdout).toMatch(/^wasm 4\.\d+\.\d+/);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: user code failed after wasm init');
    expect(r.stderr.length).toBeLessThan(3000); // Node's own report, not a line of minified Emscripten
  });

  it('after the wasm backend starts, an unhandled rejection exits 1 with the error of the user', () => {
    const r = runUserScript(
      'rejection',
      `import { initBackend } from ${entry};
await initBackend({ backend: 'wasm' });
void Promise.reject(new Error('user promise rejected after wasm init'));`,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('user promise rejected after wasm init');
    expect(r.stderr.length).toBeLessThan(3000);
  });
});
