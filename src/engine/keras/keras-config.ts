import * as tf from '@tensorflow/tfjs';
import { PieAuditError } from '../../errors.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Keras 3 serialization keys tfjs-layers has no use for. */
const KERAS3_ONLY = new Set(['module', 'registered_name', 'build_config', 'compile_config', 'shared_object_id']);
/** Keras model classes: a layer of one of these classes is a nested model. */
export const MODEL_CLASSES: ReadonlySet<string> = new Set(['Sequential', 'Functional', 'Model']);

/**
 * A Keras model config (Keras 2 `model_config` or Keras 3 `config.json`) rewritten in the Keras 2 form
 * tfjs-layers deserializes: Keras 3 serialization keys dropped, `DTypePolicy` objects turned into their
 * dtype, `batch_shape` into `batch_input_shape`, functional `args`/`keras_history` nodes into
 * `[layer, node, tensor, kwargs]` lists. Every layer class must be one tfjs-layers implements.
 * The input is not modified; keys are copied into fresh objects, so data never reaches a prototype.
 *
 * @throws PieAuditError `UNSUPPORTED_LAYER` naming the layer and `file`; `CORRUPT_MODEL` for a config that is not a model
 * @example
 * const topology = kerasConfigToTfjs(JSON.parse(configJson), 'model.keras');
 * const model = await tf.models.modelFromJSON({ modelTopology: topology });
 */
export function kerasConfigToTfjs(config: unknown, file: string): JsonObject {
  if (!isObject(config) || typeof config.class_name !== 'string' || !isObject(config.config)) {
    throw new PieAuditError('CORRUPT_MODEL', `${file} holds no Keras model config (an object with class_name and config).`, { file });
  }
  if (!MODEL_CLASSES.has(config.class_name)) {
    throw new PieAuditError(
      'UNSUPPORTED_LAYER',
      `${file} holds a ${JSON.stringify(config.class_name)} model; only Sequential and Functional Keras models are read (subclassed models have no config to rebuild).`,
      { file, layer: config.class_name },
    );
  }
  const out = translate(config, file, String(config.class_name)) as JsonObject;
  if (out.class_name === 'Sequential') giveFirstLayerItsInputShape(out.config as JsonObject);
  checkLayers(out, file);
  return out;
}

/**
 * A Sequential model built with `model.build(shape)` has no InputLayer in its config, only
 * `build_input_shape`; tfjs-layers takes the input shape from the first layer.
 */
function giveFirstLayerItsInputShape(config: JsonObject): void {
  const first = Array.isArray(config.layers) ? config.layers[0] : undefined;
  const shape = config.build_input_shape;
  if (!isObject(first) || first.class_name === 'InputLayer' || !Array.isArray(shape) || !isObject(first.config)) return;
  if (first.config.batch_input_shape === undefined) first.config.batch_input_shape = shape;
}

const NO_MODELS: ReadonlySet<string> = new Set();

/** The names of a model's layers that are models themselves (a Sequential or Functional used as a layer). */
function nestedModelNames(layers: Json[]): ReadonlySet<string> {
  const names = new Set<string>();
  for (const l of layers) {
    if (!isObject(l) || typeof l.class_name !== 'string' || !MODEL_CLASSES.has(l.class_name)) continue;
    const name = typeof l.name === 'string' ? l.name : isObject(l.config) ? l.config.name : undefined;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

/** `nested`: the layers of the enclosing model that are models, whose nodes a Keras 3 config numbers differently. */
function translate(value: Json, file: string, layer: string, nested: ReadonlySet<string> = NO_MODELS): Json {
  if (Array.isArray(value)) return value.map((v) => translate(v, file, layer, nested));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  const here = typeof value.name === 'string' ? value.name : layer;
  const models = Array.isArray(value.layers) ? nestedModelNames(value.layers) : nested;
  for (const [key, v] of Object.entries(value)) {
    // A `__proto__` key from JSON.parse would set the copy's prototype if assigned: data never reaches one.
    if (KERAS3_ONLY.has(key) || key === '__proto__') continue;
    if (key === 'dtype' && isObject(v)) out.dtype = dtypeOfPolicy(v, file, here);
    else if (key === 'batch_shape') out.batch_input_shape = translate(v, file, here);
    else if (key === 'inbound_nodes' && Array.isArray(v)) out.inbound_nodes = v.map((node) => translateNode(node, file, here, nested));
    else if ((key === 'input_layers' || key === 'output_layers') && Array.isArray(v) && typeof v[0] === 'string') out[key] = [v];
    else out[key] = translate(v, file, here, models);
  }
  return out;
}

function dtypeOfPolicy(policy: JsonObject, file: string, layer: string): string {
  const name = isObject(policy.config) ? policy.config.name : undefined;
  if (name === 'float32') return 'float32';
  throw new PieAuditError(
    'UNSUPPORTED_LAYER',
    `${file}: layer ${JSON.stringify(layer)} uses the dtype policy ${JSON.stringify(name ?? policy.class_name)}; tfjs computes in float32 only (re-save the model with the float32 policy).`,
    { file, layer },
  );
}

/**
 * A Keras 3 node `{ args, kwargs }` as the Keras 2 list of inbound tensors; Keras 2 nodes pass through. Keras 3 counts
 * a nested model's calls from 0, where Keras 2 and tfjs-layers keep node 0 for the link from the nested model's own
 * input to its output: a call of a nested model is one node later.
 */
function translateNode(node: Json, file: string, layer: string, nested: ReadonlySet<string>): Json {
  if (!isObject(node)) return node;
  const inbound: Json[] = [];
  const visit = (v: Json): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v) && v.class_name === '__keras_tensor__' && isObject(v.config) && Array.isArray(v.config.keras_history)) {
      const [name, nodeIndex, tensorIndex] = v.config.keras_history;
      const shift = typeof name === 'string' && nested.has(name) ? 1 : 0;
      inbound.push([name ?? null, (typeof nodeIndex === 'number' ? nodeIndex : 0) + shift, tensorIndex ?? 0, {}]);
    } else if (isObject(v)) Object.values(v).forEach(visit);
  };
  visit(node.args ?? []);
  if (inbound.length === 0) {
    throw new PieAuditError('CORRUPT_MODEL', `${file}: layer ${JSON.stringify(layer)} has a node with no input tensor.`, { file, layer });
  }
  return inbound;
}

/** Every layer class (nested models included) must be registered with tfjs-layers. */
function checkLayers(model: JsonObject, file: string): void {
  const registered = tf.serialization.SerializationMap.getMap().classNameMap;
  const config = model.config as JsonObject;
  const layers = Array.isArray(config.layers) ? config.layers : [];
  for (const layer of layers) {
    if (!isObject(layer)) continue;
    const className = String(layer.class_name);
    const name = isObject(layer.config) && typeof layer.config.name === 'string' ? layer.config.name : className;
    if (!Object.hasOwn(registered, className)) {
      throw new PieAuditError(
        'UNSUPPORTED_LAYER',
        `${file}: layer ${JSON.stringify(name)} (${className}) has no tfjs implementation, so the model cannot be rebuilt here; replace the layer or export the model to ONNX.`,
        { file, layer: name, className },
      );
    }
    if (MODEL_CLASSES.has(className)) checkLayers(layer, file);
  }
}
