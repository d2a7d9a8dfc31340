import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { getBackendInfo, importOptionalModule, initBackend } from '../../src/engine/index.js';
import { isPieAuditError } from '../../src/errors.js';

describe('importOptionalModule', () => {
  it('reports an absent package as missing instead of throwing', async () => {
    const r = await importOptionalModule(['@pie-audit-absent', 'no-such-package']);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.missing).toBe(true);
      expect(r.reason).toContain('@pie-audit-absent/no-such-package is not installed');
    }
  });
  it('loads an installed package', async () => {
    const r = await importOptionalModule(['@tensorflow', 'tfjs-backend-wasm']);
    expect(r.ok).toBe(true);
  });
});

describe('initBackend', () => {
  it('explicit "tensorflow" without tfjs-node throws BACKEND_UNAVAILABLE with install and mirror instructions', async () => {
    const native = await importOptionalModule(['@tensorflow', 'tfjs-node']);
    if (native.ok) {
      // A machine with tfjs-node gets the native backend; this checks the real thing there.
      expect((await initBackend({ backend: 'tensorflow' })).name).toBe('tensorflow');
      return;
    }
    const err = await initBackend({ backend: 'tensorflow' }).catch((e: unknown) => e);
    expect(isPieAuditError(err, 'BACKEND_UNAVAILABLE')).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain('npm install @tensorflow/tfjs-node');
    expect(message).toContain('tfjs-node-gpu');
    expect(message).toContain('TFJS_NODE_CDN_STORAGE');
    expect(message).toContain('TFJS_NODE_BASE_URI');
    expect(message).toContain('@tensorflow/tfjs-node is not installed');
  });

  it('"auto" falls back past the absent native packages to wasm and says why', async () => {
    const info = await initBackend({ backend: 'auto' });
    const native = await importOptionalModule(['@tensorflow', 'tfjs-node']);
    if (native.ok) {
      expect(info.name).toBe('tensorflow');
      return;
    }
    expect(info.name).toBe('wasm');
    expect(info.requested).toBe('auto');
    expect(info.gpu).toBe(false);
    expect(info.fallbackReason).toContain('@tensorflow/tfjs-node-gpu is not installed');
    expect(info.fallbackReason).toContain('@tensorflow/tfjs-node is not installed');
    expect(info.tfjsVersion).toBe(tf.version.tfjs);
    expect(info.packages['@tensorflow/tfjs-backend-wasm']).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.packages['@tensorflow/tfjs-core']).toBe(tf.version['tfjs-core']);
    expect(tf.getBackend()).toBe('wasm');
    expect(getBackendInfo()).toEqual(info);
  });

  it('is idempotent and safe under concurrent calls', async () => {
    const [a, b, c] = await Promise.all([
      initBackend({ backend: 'wasm' }),
      initBackend({ backend: 'wasm' }),
      initBackend({ backend: 'wasm' }),
    ]);
    expect(a.name).toBe('wasm');
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(a.fallbackReason).toBeUndefined();
  });

  it('switches to cpu and back, and getBackendInfo follows', async () => {
    const cpu = await initBackend({ backend: 'cpu' });
    expect(cpu.name).toBe('cpu');
    expect(cpu.packages['@tensorflow/tfjs-backend-cpu']).toBe(tf.version['tfjs-backend-cpu']);
    expect(getBackendInfo()?.name).toBe('cpu');
    expect(tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]).toBe(3);
    const wasm = await initBackend({ backend: 'wasm' });
    expect(wasm.name).toBe('wasm');
    expect(getBackendInfo()?.name).toBe('wasm');
  });

  it('rejects an unknown backend name', async () => {
    const err = await initBackend({ backend: 'webgpu' as never }).catch((e: unknown) => e);
    expect(isPieAuditError(err, 'INVALID_ARGUMENT')).toBe(true);
    // The queue survives a rejected call.
    expect((await initBackend({ backend: 'wasm' })).name).toBe('wasm');
  });
});
