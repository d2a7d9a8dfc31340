import type { Dataset, Group } from 'h5wasm';
import { PieAuditError } from '../../errors.js';

/** One stored weight: its name in the file (Keras 2: `dense/kernel:0`; Keras 3: `0`, `1`, ...), shape and values. */
export interface StoredWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

const isGroup = (e: unknown): e is Group => typeof (e as Group | null)?.keys === 'function';
const isDataset = (e: unknown): e is Dataset =>
  typeof (e as Dataset | null)?.shape === 'object' && typeof (e as Group | null)?.keys !== 'function';

/**
 * An attribute holding a list of names, read as Keras writes it: one array, or split into `name0`, `name1`, ...
 * when it outgrew an HDF5 attribute (64 KB). Empty lists come back empty, whatever their stored dtype.
 */
function nameListAttribute(group: Group, name: string): string[] {
  const attrs = group.attrs;
  const chunks = Object.hasOwn(attrs, name) ? [attrs[name]] : [];
  for (let i = 0; Object.hasOwn(attrs, `${name}${i}`); i++) chunks.push(attrs[`${name}${i}`]);
  return chunks.flatMap((a) => {
    const v = a?.value;
    const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
    return list.filter((s): s is string => typeof s === 'string');
  });
}

/** Bytes the weights of one file may still inflate to: HDF5 datasets can be gzip-compressed, so their size is checked before they are read. */
export interface WeightBudget {
  bytesLeft: number;
}

function readDataset(entity: unknown, file: string, path: string, budget: WeightBudget): StoredWeight {
  if (!isDataset(entity))
    throw new PieAuditError('CORRUPT_MODEL', `${file}: weight ${path} is missing or not a dataset.`, { file, weight: path });
  const bytes = (entity.shape ?? []).reduce((a, b) => a * b, 1) * 8;
  budget.bytesLeft -= bytes;
  if (!Number.isFinite(bytes) || budget.bytesLeft < 0) {
    throw new PieAuditError('CORRUPT_MODEL', `${file}: weight ${path} would take the weights past the bytes allowed (maxBytes).`, {
      file,
      weight: path,
    });
  }
  const { value } = entity;
  if (!(value instanceof Float32Array || value instanceof Float64Array)) {
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `${file}: weight ${path} has dtype ${JSON.stringify(entity.dtype)}; float32 or float64 weights are read.`,
      { file, weight: path },
    );
  }
  return { name: path.split('/').slice(-2).join('/'), shape: entity.shape ?? [], values: Float32Array.from(value) };
}

/**
 * Keras 2 (`.h5`) weights: `model_weights` lists `layer_names`; each layer group lists `weight_names`,
 * datasets at those paths inside the group. Returns them by layer name, in the stored order.
 *
 * @throws PieAuditError `CORRUPT_MODEL` naming `file`; `UNSUPPORTED_LAYER` for model-level weights
 * @example
 * const byLayer = readKeras2Weights(h5, 'model.h5', { bytesLeft: 1 << 30 }); byLayer.get('dense')?.[0].name; // 'dense/kernel:0'
 */
export function readKeras2Weights(root: Group, file: string, budget: WeightBudget): Map<string, StoredWeight[]> {
  const weights = root.get('model_weights');
  if (!isGroup(weights)) {
    throw new PieAuditError(
      'CORRUPT_MODEL',
      `${file} has no model_weights group; save the whole model (model.save), not a weights-only file.`,
      {
        file,
      },
    );
  }
  const topLevel = weights.get('top_level_model_weights');
  if (isGroup(topLevel) && nameListAttribute(topLevel, 'weight_names').length > 0) {
    // Keras 3 stores variables a subclassed model owns itself there; a tfjs model has no place for them.
    throw new PieAuditError('UNSUPPORTED_LAYER', `${file} holds model-level weights (top_level_model_weights) that no layer owns.`, {
      file,
    });
  }
  const out = new Map<string, StoredWeight[]>();
  for (const layer of nameListAttribute(weights, 'layer_names')) {
    const group = weights.get(layer);
    if (!isGroup(group)) throw new PieAuditError('CORRUPT_MODEL', `${file}: layer ${layer} has no weights group.`, { file, layer });
    out.set(
      layer,
      nameListAttribute(group, 'weight_names').map((w) => readDataset(group.get(w), file, `model_weights/${layer}/${w}`, budget)),
    );
  }
  return out;
}

/** Keras' `to_snake_case`, which names a layer's folder in a `.keras` weights file. */
function snakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** A layer of a model config, as the `.keras` weights file is walked: nested models list their own layers. */
export interface ConfigLayer {
  name: string;
  className: string;
  /** The layers of a nested Sequential or Functional model used as a layer; absent for other layers. */
  layers?: readonly ConfigLayer[];
}

/** Stored weights by layer name; a nested model's entry holds its own layers' weights the same way. */
export type StoredLayers = Map<string, StoredWeight[] | StoredLayers>;

/**
 * Keras 3 (`.keras`) weights from `model.weights.h5`: the layers of the config, in order, sit at
 * `layers/<snake_case class name>[_n]/vars/<i>` (or under `_layer_checkpoint_dependencies` as Keras 2.13
 * wrote it); a nested model's layers one level deeper, at `layers/<its folder>/layers/...`, as Keras' saving
 * walks a model's `layers`. Returns them by layer name.
 *
 * @throws PieAuditError `CORRUPT_MODEL` naming `file`
 * @example
 * const byLayer = readKeras3Weights(h5, [{ name: 'dense', className: 'Dense' }], 'model.keras', { bytesLeft: 1 << 30 });
 */
export function readKeras3Weights(root: Group, layers: readonly ConfigLayer[], file: string, budget: WeightBudget): StoredLayers {
  const container = layersGroup(root);
  if (!container) throw new PieAuditError('CORRUPT_MODEL', `${file}: model.weights.h5 has no layers group.`, { file });
  return readContainer(container, '', layers, file, budget);
}

const layersGroup = (group: Group): Group | undefined => {
  const found = group.get('layers') ?? group.get('_layer_checkpoint_dependencies');
  return isGroup(found) ? found : undefined;
};

function readContainer(container: Group, at: string, layers: readonly ConfigLayer[], file: string, budget: WeightBudget): StoredLayers {
  // Keras names each layer's folder by its class, numbered within its own model: `dense`, `dense_1`, ...
  const used = new Map<string, number>();
  const out: StoredLayers = new Map();
  for (const { name, className, layers: inner } of layers) {
    const base = snakeCase(className);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    const folder = n === undefined ? base : `${base}_${n + 1}`;
    if (inner) {
      const group = container.get(folder) ?? container.get(name);
      const nested = isGroup(group) ? layersGroup(group) : undefined;
      if (nested) out.set(name, readContainer(nested, `${at}${folder}/layers/`, inner, file, budget));
      continue;
    }
    const vars = container.get(`${folder}/vars`) ?? container.get(`${name}/vars`);
    if (!isGroup(vars)) continue;
    const keys = vars.keys().sort((a, b) => Number(a) - Number(b));
    out.set(
      name,
      keys.map((k) => readDataset(vars.get(k), file, `${at}${folder}/vars/${k}`, budget)),
    );
  }
  return out;
}
