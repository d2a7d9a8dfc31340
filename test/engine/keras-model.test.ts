import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureModel } from '../../src/audit/measure-model.js';
import { modelContentHash } from '../../src/audit/model-content-hash.js';
import { compressionStats } from '../../src/compress/compression-stats.js';
import { pruneOneShot } from '../../src/compress/prune-one-shot.js';
import { quantizeModel } from '../../src/compress/quantize-model.js';
import { initBackend } from '../../src/engine/backend.js';
import { kerasConfigToTfjs } from '../../src/engine/keras/keras-config.js';
import { loadKerasModel } from '../../src/engine/keras/load-keras-model.js';
import { PieAuditError } from '../../src/errors.js';
import { createPredictor } from '../../src/evaluate/create-predictor.js';

/** Written by make_keras_fixtures.py with h5py in the layouts Keras 2 (.h5) and Keras 3 (.keras) save. */
const FIXTURES = join(import.meta.dirname, '../fixtures/keras');
const fixture = (name: string) => join(FIXTURES, name);
interface Expected {
  inputShape: number[];
  inputs: number[];
  outputs: number[];
}
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as Record<'mlp' | 'cnn' | 'bn' | 'nested', Expected>;
const dir = mkdtempSync(join(tmpdir(), 'pie-audit-keras-'));

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function predict(model: tf.LayersModel, e: Expected): Float32Array {
  const rows = e.inputs.length / e.inputShape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => (model.predict(tf.tensor(e.inputs, [rows, ...e.inputShape])) as tf.Tensor).dataSync() as Float32Array);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

async function typedError(run: () => Promise<unknown>): Promise<PieAuditError> {
  const e = await run().then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PieAuditError);
  return e as PieAuditError;
}

describe('loadKerasModel', () => {
  // bn-keras3.h5: a .h5 as Keras 3 writes it, with a BatchNormalization layer (four weights, matched by name);
  // mlp-keras213.keras: a .keras as tf.keras 2.13-2.15 wrote it (_layer_checkpoint_dependencies);
  // nested.*: a Sequential used as a layer of a Functional model, as transfer learning builds one.
  for (const file of ['mlp.h5', 'mlp.keras', 'cnn.h5', 'cnn.keras', 'bn-keras3.h5', 'mlp-keras213.keras', 'nested.h5', 'nested.keras']) {
    it(`${file}: predictions match the NumPy forward pass within 1e-5`, async () => {
      const model = await loadKerasModel(fixture(file));
      try {
        const e = expected[file.slice(0, file.search(/[.-]/)) as 'mlp' | 'cnn' | 'bn' | 'nested'];
        expect(maxDifference(predict(model, e), e.outputs)).toBeLessThan(1e-5);
      } finally {
        model.dispose();
      }
    });
  }

  it('rebuilds a nested model as a layer and prunes its inner layers', async () => {
    for (const file of ['nested.h5', 'nested.keras']) {
      const model = await loadKerasModel(fixture(file));
      try {
        expect(model.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Sequential', 'Dense']);
        const inner = model.getLayer('feature_extractor') as tf.LayersModel;
        expect(inner.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name)).toEqual([
          'dense',
          'batch_normalization',
          'dense_1',
        ]);
        // The moving statistics are the file's, not the initial zeros and ones.
        const variance = inner.getLayer('batch_normalization').getWeights()[3].dataSync();
        expect(Array.from(variance).every((v) => v !== 1)).toBe(true);
        const { model: pruned } = await pruneOneShot(model, 0.5);
        try {
          expect(compressionStats(pruned).prunableSparsity).toBeCloseTo(0.5, 1);
          expect(predict(pruned, expected.nested).every(Number.isFinite)).toBe(true);
        } finally {
          pruned.dispose();
        }
      } finally {
        model.dispose();
      }
    }
  });

  it('refuses a .keras whose nested model has no weights where Keras puts them, naming the layer', async () => {
    const e = await typedError(() => loadKerasModel(fixture('nested-misplaced.keras')));
    expect(e.code).toBe('CORRUPT_MODEL');
    expect(e.message).toContain('"feature_extractor" has 8 weights but the file stores 0');
  });

  it('builds Sequential and Functional models with the layers and weights the files hold', async () => {
    const mlp = await loadKerasModel(fixture('mlp.keras'));
    const cnn = await loadKerasModel(fixture('cnn.h5'));
    try {
      expect(mlp.getClassName()).toBe('Sequential');
      expect(mlp.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Dense', 'Dense']);
      expect(cnn.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
      expect(cnn.getLayer('conv2d').getWeights()[0].shape).toEqual([3, 3, 1, 2]);
    } finally {
      mlp.dispose();
      cnn.dispose();
    }
  });

  it('a loaded model prunes to 50 % zeros and still predicts; it quantizes too', async () => {
    const model = await loadKerasModel(fixture('cnn.keras'));
    const { model: pruned } = await pruneOneShot(model, 0.5);
    const { model: float16 } = await quantizeModel(model, { mode: 'float16' });
    try {
      expect(compressionStats(pruned).prunableSparsity).toBeCloseTo(0.5, 1);
      const out = predict(pruned, expected.cnn);
      expect(out.every(Number.isFinite)).toBe(true);
      // Softmax rows still sum to 1, and pruning changed the scores.
      expect(out.slice(0, 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(maxDifference(out, expected.cnn.outputs)).toBeGreaterThan(1e-4);
      expect(maxDifference(predict(float16, expected.cnn), expected.cnn.outputs)).toBeLessThan(1e-2);
    } finally {
      model.dispose();
      pruned.dispose();
      float16.dispose();
    }
  });

  it('.h5 and .keras paths run through createPredictor, measureModel and the content hash', async () => {
    const p = await createPredictor(fixture('mlp.h5'), { runtime: 'tfjs', inputShape: [4] });
    try {
      const scores = await p.predict(Float32Array.from(expected.mlp.inputs), 6);
      expect(maxDifference(scores, expected.mlp.outputs)).toBeLessThan(1e-5);
      expect(p.nClasses).toBe(3);
    } finally {
      await p.dispose();
    }
    const size = await measureModel(fixture('mlp.keras'));
    expect(size.sparsity).toBe(0);
    expect(size.gzippedBytes).toBeGreaterThan(0);
    expect(size.storedBytes).toBe(statSync(fixture('mlp.keras')).size);
    const hash = await modelContentHash(fixture('mlp.h5'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await modelContentHash(fixture('mlp.keras'))).not.toBe(hash);
  });
});

describe('the prediction cache', () => {
  it('keys a Keras file by its content: a copy under another name is a hit, another file is not', async () => {
    const { evaluatePopulation } = await import('../../src/evaluate/evaluate-population.js');
    const cacheDir = join(dir, 'cache');
    const testSet = { inputs: Float32Array.from(expected.mlp.inputs), n: 6, inputShape: [4] };
    const options = { cache: { dir: cacheDir }, runtime: 'tfjs' as const, returnProbabilities: true };
    const first = await evaluatePopulation([fixture('mlp.keras'), fixture('mlp.h5')], testSet, options);
    copyFileSync(fixture('mlp.keras'), join(dir, 'copy.keras'));
    const second = await evaluatePopulation([join(dir, 'copy.keras')], testSet, options);
    expect(first.perModel.map((m) => m.cached)).toEqual([false, false]);
    expect(second.perModel[0].cached).toBe(true);
    expect(maxDifference(second.probabilities!, expected.mlp.outputs)).toBeLessThan(1e-5);
  });
});

describe('loadKerasModel refuses bad files with typed errors naming them', () => {
  it('a layer tfjs has no implementation of is named', async () => {
    const e = await typedError(() => loadKerasModel(fixture('lambda.h5')));
    expect(e.code).toBe('UNSUPPORTED_LAYER');
    expect(e.message).toContain('lambda.h5');
    expect(e.message).toContain('"lambda" (Lambda)');
  });

  it('a zip bomb stops at the inflation cap', async () => {
    const e = await typedError(() => loadKerasModel(fixture('bomb.keras')));
    expect(e.code).toBe('CORRUPT_MODEL');
    expect(e.message).toMatch(/bomb\.keras.*config\.json inflates to 67108864 bytes/);
  });

  it('gzip-compressed weights are sized before they are inflated', async () => {
    // 2048 x 2048 zeros, gzip-compressed in the file: a few KB on disk, 16 MiB read.
    const e = await typedError(() => loadKerasModel(fixture('gzip-weights.h5'), { maxBytes: 1 << 20 }));
    expect(e.code).toBe('CORRUPT_MODEL');
    expect(e.message).toMatch(
      /gzip-weights\.h5: weight model_weights\/dense\/dense\/kernel:0 would take the weights past the bytes allowed/,
    );
    // Under the default cap the dataset inflates (h5wasm reads gzip) and its shape is then refused.
    const shape = await typedError(() => loadKerasModel(fixture('gzip-weights.h5')));
    expect(shape.message).toMatch(/has shape \[2048,2048\] but the config gives \[4,8\]/);
  });

  it('a truncated .h5, a truncated .keras, a file that is not HDF5, and an oversized file', async () => {
    const h5 = readFileSync(fixture('mlp.h5'));
    const keras = readFileSync(fixture('mlp.keras'));
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['truncated.h5', h5.subarray(0, 3000), /truncated\.h5 could not be (opened|read) as HDF5/],
      ['truncated.keras', keras.subarray(0, keras.length - 200), /truncated\.keras is not a readable \.keras zip archive/],
      ['text.h5', new TextEncoder().encode('{"not": "hdf5"}'), /text\.h5 is not an HDF5 file/],
      ['zip.h5', keras, /zip\.h5 is not an HDF5 file/],
      ['hdf5.keras', h5, /hdf5\.keras is not a readable \.keras zip archive/],
    ];
    for (const [name, bytes, message] of cases) {
      writeFileSync(join(dir, name), bytes);
      const e = await typedError(() => loadKerasModel(join(dir, name)));
      expect(e.code, name).toBe('CORRUPT_MODEL');
      expect(e.message, name).toMatch(message);
    }
    const big = await typedError(() => loadKerasModel(fixture('mlp.h5'), { maxBytes: 1000 }));
    expect(big.message).toMatch(/mlp\.h5 is \d+ bytes, more than the 1000 read/);
    mkdirSync(join(dir, 'folder.keras'), { recursive: true });
    const folder = await typedError(() => loadKerasModel(join(dir, 'folder.keras')));
    expect(folder.message).toMatch(/folder\.keras is not a regular file/);
    const missing = await typedError(() => loadKerasModel(join(dir, 'absent.keras')));
    expect(missing.message).toMatch(/absent\.keras could not be read \(ENOENT\)/);
  });

  it('weights that do not fit the config are refused', async () => {
    // mlp.keras with the CNN's weights file: the layer folders exist, the shapes do not match.
    const { readZipEntries } = await import('../../src/engine/keras/read-zip-entries.js');
    const cnnWeights = readZipEntries(readFileSync(fixture('cnn.keras')), 'cnn.keras', ['model.weights.h5'], 1 << 20);
    const mixed = await rezip(fixture('mlp.keras'), 'model.weights.h5', cnnWeights.get('model.weights.h5')!);
    writeFileSync(join(dir, 'mixed.keras'), mixed);
    const e = await typedError(() => loadKerasModel(join(dir, 'mixed.keras')));
    expect(e.code).toBe('CORRUPT_MODEL');
    expect(e.message).toMatch(/mixed\.keras: weight .* of layer "dense" has shape \[8,3\] but the config gives \[4,8\]/);
  });
});

/** A stored zip with one member replaced (the fixture's other members kept as they are). */
async function rezip(path: string, name: string, data: Uint8Array): Promise<Uint8Array> {
  const { readZipEntries } = await import('../../src/engine/keras/read-zip-entries.js');
  const { crc32 } = await import('node:zlib');
  const names = ['metadata.json', 'config.json', 'model.weights.h5'];
  const entries = readZipEntries(readFileSync(path), path, names, 1 << 20);
  entries.set(name, data);
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const n of names) {
    const body = entries.get(n)!;
    const nameBytes = Buffer.from(n);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(crc32(body), 14);
    header.writeUInt32LE(body.length, 18);
    header.writeUInt32LE(body.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt32LE(crc32(body), 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(body.length, 24);
    c.writeUInt16LE(nameBytes.length, 28);
    c.writeUInt32LE(offset, 42);
    locals.push(header, nameBytes, Buffer.from(body));
    central.push(c, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}

describe('kerasConfigToTfjs', () => {
  const cnnConfig = async () => {
    const { readZipEntries } = await import('../../src/engine/keras/read-zip-entries.js');
    const bytes = readZipEntries(readFileSync(fixture('cnn.keras')), 'cnn.keras', ['config.json'], 1 << 20).get('config.json')!;
    return JSON.parse(new TextDecoder().decode(bytes));
  };

  it('rewrites Keras 3 serialization into the Keras 2 form tfjs-layers reads', async () => {
    const config = await cnnConfig();
    config.config.input_layers = ['input_layer', 0, 0]; // Keras 3 writes a single input unnested too
    const out = kerasConfigToTfjs(config, 'cnn.keras') as any;
    expect(out.module).toBeUndefined();
    expect(out.config.input_layers).toEqual([['input_layer', 0, 0]]);
    const [input, conv] = out.config.layers;
    expect(input.config.batch_input_shape).toEqual([null, 6, 6, 1]);
    expect(conv.config.dtype).toBe('float32');
    expect(conv.config.kernel_initializer).toEqual({ class_name: 'GlorotUniform', config: { seed: null } });
    expect(conv.inbound_nodes).toEqual([[['input_layer', 0, 0, {}]]]);
  });

  it('gives a Sequential model built with build(shape) its input shape, so tfjs can rebuild it', async () => {
    const { readZipEntries } = await import('../../src/engine/keras/read-zip-entries.js');
    const bytes = readZipEntries(readFileSync(fixture('mlp.keras')), 'mlp.keras', ['config.json'], 1 << 20).get('config.json')!;
    const config = JSON.parse(new TextDecoder().decode(bytes));
    config.config.layers.shift(); // no InputLayer: Keras 3 keeps only build_input_shape
    const topology = kerasConfigToTfjs(config, 'mlp.keras');
    const model = await tf.models.modelFromJSON({ modelTopology: topology } as tf.io.ModelJSON);
    expect(model.inputs[0].shape).toEqual([null, 4]);
    model.dispose();
  });

  it('refuses a mixed-precision policy and a subclassed model, naming them; a __proto__ key reaches no prototype', async () => {
    const config = await cnnConfig();
    config.config.layers[4].config.dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' } };
    expect(() => kerasConfigToTfjs(config, 'cnn.keras')).toThrow(/cnn\.keras: layer "dense" uses the dtype policy "mixed_float16"/);
    expect(() => kerasConfigToTfjs({ class_name: 'MyModel', config: {} }, 'm.keras')).toThrow(
      /"MyModel" model; only Sequential and Functional/,
    );
    const polluted = JSON.parse('{"class_name": "Sequential", "config": {"name": "s", "layers": [], "__proto__": {"polluted": true}}}');
    const out = kerasConfigToTfjs(polluted, 'p.h5') as { config: Record<string, unknown> };
    expect(out.config.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('population folders', () => {
  it('list .h5 and .keras files, and model.keras inside a model folder, as Keras members', async () => {
    const { scanPopulationFolder } = await import('../../src/population/scan-population-folder.js');
    const root = join(dir, 'population');
    mkdirSync(join(root, '0', 'seed-2'), { recursive: true });
    copyFileSync(fixture('mlp.h5'), join(root, '0', 'seed-1.h5'));
    copyFileSync(fixture('mlp.keras'), join(root, '0', 'seed-2', 'model.keras'));
    const scan = scanPopulationFolder(root);
    expect(scan.levels[0].members.map((m) => [m.name, m.kind])).toEqual([
      ['seed-1.h5', 'keras'],
      ['seed-2', 'keras'],
    ]);
    expect(scan.warnings).toEqual([]);
  });
});
