import type { layers } from '@tensorflow/tfjs';
import { OnnxGraphBuilder } from './graph-builder.js';

/** A logical tfjs shape: the batch (and any unknown) dimension is null. */
export type LogicalShape = ReadonlyArray<number | null>;

/**
 * A value in the ONNX graph under construction.
 *
 * `shape` is always the tfjs (channels-last) shape. Rank-4 values may be stored physically as
 * NHWC (as tfjs feeds them) or NCHW (as ONNX Conv/Pool want them); `layout` says which, so
 * transposes are inserted only where an op needs the other order.
 */
export interface OnnxValue {
  readonly name: string;
  readonly shape: LogicalShape;
  readonly layout: 'nhwc' | 'nchw' | 'plain';
}

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

/** State shared by the layer converters while one model is exported. */
export class ExportContext {
  readonly g = new OnnxGraphBuilder();
  private readonly transposed = new Map<string, OnnxValue>();
  /**
   * Whether kernels are written as int8 + DequantizeLinear (a QDQ graph, for int8-full models) rather
   * than as float32 initializers.
   */
  readonly int8Kernels: boolean;
  /** int8 scale of each value that holds quantized activations (set by QDQ pairs, kept through moves). */
  readonly activationScales = new Map<string, number>();

  /** Largest |q| of int8 kernels: 127, or 63 for 7-bit weights. */
  readonly kernelMax: number;

  constructor(options: { int8Kernels?: boolean; kernelMax?: number } = {}) {
    this.int8Kernels = options.int8Kernels ?? false;
    this.kernelMax = options.kernelMax ?? 127;
  }

  /** The value stored as NCHW (rank 4 only); the transpose is emitted once per value. */
  toNchw(v: OnnxValue): OnnxValue {
    if (v.layout !== 'nhwc') return v;
    return this.transpose(v, NHWC_TO_NCHW, 'nchw');
  }

  /** The value in tfjs's own (channels-last) order, as Flatten, Reshape, Dense and graph outputs need it. */
  toNatural(v: OnnxValue): OnnxValue {
    if (v.layout !== 'nchw') return v;
    return this.transpose(v, NCHW_TO_NHWC, 'nhwc');
  }

  private transpose(v: OnnxValue, perm: number[], layout: 'nhwc' | 'nchw'): OnnxValue {
    const key = `${v.name}->${layout}`;
    const hit = this.transposed.get(key);
    if (hit) return hit;
    const name = this.g.node('Transpose', [v.name], { perm: { ints: perm } }, `${v.name}_${layout}`);
    const out: OnnxValue = { name, shape: v.shape, layout };
    const scale = this.activationScales.get(v.name);
    if (scale !== undefined) this.activationScales.set(name, scale);
    this.transposed.set(key, out);
    // Going back needs no second transpose: the original is still there.
    this.transposed.set(`${name}->${v.layout}`, v);
    return out;
  }

  /** The physical axis of logical (channels-last) axis `axis` (negative counts from the end). */
  physicalAxis(v: OnnxValue, axis: number): number {
    const rank = v.shape.length;
    const a = axis < 0 ? rank + axis : axis;
    return v.layout === 'nchw' ? NHWC_TO_NCHW.indexOf(a) : a;
  }

  /** A value of the given logical shape whose rank-4 layout is `layout`. */
  value(name: string, shape: LogicalShape, layout: 'nhwc' | 'nchw' | 'plain'): OnnxValue {
    return { name, shape, layout: shape.length === 4 ? (layout === 'plain' ? 'nhwc' : layout) : 'plain' };
  }
}

/** One named weight of a layer, read once from the model. */
export interface LayerWeight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/**
 * The layer's weights keyed by their role (`kernel`, `bias`, `depthwise_kernel`, `gamma`, ...),
 * taken from the last path component of each weight's name.
 */
export function layerWeights(layer: layers.Layer): Map<string, LayerWeight> {
  const values = layer.getWeights();
  const out = new Map<string, LayerWeight>();
  layer.weights.forEach((w, i) => {
    const role = w.originalName.split('/').pop()!.replace(/_\d+$/, '');
    out.set(role, { shape: values[i].shape, values: values[i].dataSync() as Float32Array });
  });
  return out;
}

/** Normalizes a tfjs `number | number[]` 2-D argument (kernel size, strides, dilation) to a pair. */
export function pair(v: unknown, fallback: number): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return [v[0], v[0]];
  return [fallback, fallback];
}
