import { open, stat } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../../errors.js';
import { ensureBackend } from '../ensure-backend.js';
import { kerasConfigToTfjs, MODEL_CLASSES } from './keras-config.js';
import { readKeras2Weights, readKeras3Weights, type ConfigLayer, type StoredLayers, type StoredWeight } from './keras-weights.js';
import { readHdf5 } from './read-hdf5.js';
import { readZipEntries } from './read-zip-entries.js';

/** Largest Keras file read by default (the whole file is held in memory, and in WASM memory for HDF5). */
const DEFAULT_MAX_KERAS_BYTES = 1 << 30;
/** Largest config.json / metadata.json inflated from a `.keras` archive. */
const MAX_JSON_BYTES = 16 << 20;

/** Options of {@link loadKerasModel}. */
export interface LoadKerasModelOptions {
  /** Refuse files, and weights that inflate (zip, or gzip-compressed HDF5 datasets, counted as float64), larger than this many bytes (default 1 GiB). */
  maxBytes?: number;
}

/**
 * Loads a Keras model file into a tfjs LayersModel: `.h5` (Keras 2 / tf.keras HDF5: `model_config` and
 * `model_weights`) or `.keras` (Keras 3 zip: `config.json` and `model.weights.h5`). The config is rebuilt by
 * tfjs-layers and the stored weights set layer by layer, matched by layer name (and weight name where the
 * file has them), so the model can be evaluated, pruned or quantized like any LayersModel.
 * Sequential and Functional models with layers tfjs-layers implements are read; anything else is refused.
 *
 * @throws PieAuditError `CORRUPT_MODEL` (missing, oversized, truncated or damaged file, weights that do not
 *   fit the config) or `UNSUPPORTED_LAYER` (a layer or dtype policy tfjs has no implementation of), naming the
 *   file; `INVALID_ARGUMENT` for a path not ending in .h5 / .keras or a bad `maxBytes`
 * @example
 * const model = await loadKerasModel('models/baseline.keras');
 * const { model: pruned } = await pruneOneShot(model, 0.5);
 */
export async function loadKerasModel(path: string, options: LoadKerasModelOptions = {}): Promise<tf.LayersModel> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_KERAS_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.maxBytes must be a positive integer, got ${String(maxBytes)}.`, {
      argument: 'maxBytes',
    });
  }
  const kind = path.toLowerCase().endsWith('.keras') ? 'keras' : path.toLowerCase().endsWith('.h5') ? 'h5' : null;
  if (kind === null) {
    throw new PieAuditError('INVALID_ARGUMENT', `${path} is not a Keras model file; pass a path ending in .h5 or .keras.`, { file: path });
  }
  const bytes = await readBounded(path, maxBytes);
  await ensureBackend();
  return kind === 'h5' ? loadH5(bytes, path, maxBytes) : loadKeras(bytes, path, maxBytes);
}

/** The file's bytes, at most `maxBytes`; only regular files are opened (a FIFO would block the open). */
async function readBounded(path: string, maxBytes: number): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    const s = await stat(path);
    if (!s.isFile())
      throw new PieAuditError('CORRUPT_MODEL', `Keras model ${path} is not a regular file (a pipe, device or folder).`, { file: path });
    if (s.size > maxBytes) {
      throw new PieAuditError(
        'CORRUPT_MODEL',
        `Keras model ${path} is ${s.size} bytes, more than the ${maxBytes} read (raise maxBytes if the model is that large).`,
        { file: path, bytes: s.size, maxBytes },
      );
    }
    handle = await open(path, 'r');
    // Exactly the size checked: a file still growing is read no further than that.
    const bytes = new Uint8Array(s.size);
    let filled = 0;
    while (filled < s.size) {
      const { bytesRead } = await handle.read(bytes, filled, s.size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return bytes.subarray(0, filled);
  } catch (e) {
    if (e instanceof PieAuditError) throw e;
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `Keras model ${path} could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
      { file: path },
      { cause: e },
    );
  } finally {
    await handle?.close();
  }
}

async function loadH5(bytes: Uint8Array, file: string, maxBytes: number): Promise<tf.LayersModel> {
  const { topology, stored } = await readHdf5(bytes, file, (h5) => {
    const attribute = h5.attrs.model_config?.value;
    if (typeof attribute !== 'string') {
      throw new PieAuditError(
        'CORRUPT_MODEL',
        `${file} has no model_config attribute; save the whole model (model.save), not only its weights.`,
        {
          file,
        },
      );
    }
    const topology = kerasConfigToTfjs(parseJson(attribute, file, 'model_config'), file);
    return { topology, stored: readKeras2Weights(h5, file, { bytesLeft: maxBytes }) };
  });
  return buildModel(topology, stored, file);
}

async function loadKeras(bytes: Uint8Array, file: string, maxBytes: number): Promise<tf.LayersModel> {
  const configs = readZipEntries(bytes, file, ['config.json'], MAX_JSON_BYTES);
  const weightsEntry = readZipEntries(bytes, file, ['model.weights.h5'], maxBytes);
  const configBytes = configs.get('config.json');
  const weightBytes = weightsEntry.get('model.weights.h5');
  if (!configBytes || !weightBytes) {
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `${file} lacks ${configBytes ? 'model.weights.h5' : 'config.json'}; a .keras archive holds config.json and model.weights.h5.`,
      { file },
    );
  }
  const topology = kerasConfigToTfjs(parseJson(new TextDecoder().decode(configBytes), file, 'config.json'), file);
  const stored = await readHdf5(weightBytes, `${file} (model.weights.h5)`, (h5) =>
    readKeras3Weights(h5, configLayers(topology), file, { bytesLeft: maxBytes }),
  );
  return buildModel(topology, stored, file);
}

function parseJson(text: string, file: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new PieAuditError('CORRUPT_MODEL', `${file}: ${what} is not valid JSON (${(e as Error).message}).`, { file }, { cause: e });
  }
}

/** The config's layers as the weights file is walked, nested models with their own layers. */
function configLayers(topology: Record<string, unknown>): ConfigLayer[] {
  const layers = (topology.config as { layers?: unknown } | undefined)?.layers;
  if (!Array.isArray(layers)) return [];
  return layers.map((l: { class_name?: unknown; config?: { name?: unknown; layers?: unknown } }) => {
    const className = String(l?.class_name);
    const nested = MODEL_CLASSES.has(className) && Array.isArray(l?.config?.layers);
    return { name: String(l?.config?.name), className, ...(nested ? { layers: configLayers(l as Record<string, unknown>) } : {}) };
  });
}

async function buildModel(topology: Record<string, unknown>, stored: StoredLayers, file: string): Promise<tf.LayersModel> {
  let model: tf.LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: topology } as tf.io.ModelJSON);
  } catch (e) {
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `${file}: tfjs-layers could not rebuild the model from its config (${(e as Error).message}).`,
      { file },
      { cause: e },
    );
  }
  try {
    setStoredWeights(model, stored, file);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** The last part of a weight name without its `:0` suffix: `dense/kernel:0` and `dense/kernel` both give `kernel`. */
const shortName = (name: string) => (name.split('/').pop() ?? name).replace(/:\d+$/, '');

/** A layer that is itself a model (a nested Sequential or Functional): it has layers of its own. */
const isContainer = (layer: tf.layers.Layer): layer is tf.LayersModel => Array.isArray((layer as Partial<tf.LayersModel>).layers);

/**
 * Sets each layer's stored weights. A nested model's weights are stored either per inner layer (`.keras`) or, as
 * Keras 2 HDF5 writes them, as one list in the nested model's weight order (trainable first): both are set.
 */
function setStoredWeights(model: { layers: tf.layers.Layer[] }, stored: StoredLayers, file: string): void {
  const seen = new Set<string>();
  for (const layer of model.layers) {
    seen.add(layer.name);
    const entry = stored.get(layer.name);
    if (entry instanceof Map) {
      if (!isContainer(layer))
        throw new PieAuditError(
          'CORRUPT_MODEL',
          `${file} stores layer ${JSON.stringify(layer.name)} as a nested model, but its config does not.`,
          {
            file,
            layer: layer.name,
          },
        );
      setStoredWeights(layer, entry, file);
      continue;
    }
    setLayerWeights(layer, entry ?? [], file);
  }
  for (const [name, values] of stored) {
    if ((values instanceof Map ? values.size : values.length) > 0 && !seen.has(name)) {
      throw new PieAuditError(
        'CORRUPT_MODEL',
        `${file} stores weights for layer ${JSON.stringify(name)}, which its config does not have.`,
        {
          file,
          layer: name,
        },
      );
    }
  }
}

function setLayerWeights(layer: tf.layers.Layer, values: StoredWeight[], file: string): void {
  const targets = layer.weights;
  if (targets.length === 0 && values.length === 0) return;
  if (values.length !== targets.length) {
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `${file}: layer ${JSON.stringify(layer.name)} has ${targets.length} weights but the file stores ${values.length}.`,
      { file, layer: layer.name },
    );
  }
  const byName = new Map(values.map((v) => [shortName(v.name), v]));
  const ordered =
    byName.size === values.length && targets.every((t) => byName.has(shortName(t.originalName)))
      ? targets.map((t) => byName.get(shortName(t.originalName)) as StoredWeight)
      : values;
  const tensors = ordered.map((v, i) => {
    const want = targets[i].shape;
    if (v.shape.length !== want.length || v.shape.some((d, k) => d !== want[k])) {
      throw new PieAuditError(
        'CORRUPT_MODEL',
        `${file}: weight ${v.name} of layer ${JSON.stringify(layer.name)} has shape [${v.shape}] but the config gives [${want}].`,
        { file, layer: layer.name },
      );
    }
    return tf.tensor(v.values, v.shape, 'float32');
  });
  try {
    layer.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}
