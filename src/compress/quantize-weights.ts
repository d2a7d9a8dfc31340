import * as tf from '@tensorflow/tfjs';
import { cloneLayersModel } from '../engine/clone-layers-model.js';
import { PieAuditError } from '../errors.js';
import { assertFiniteWeights } from './assert-finite-weights.js';
import { roundToFloat16 } from './float16.js';
import { channelLayout, quantizeInt8PerChannel } from './int8-per-channel.js';

/** Post-training quantization schemes. */
export type QuantizationMode = 'float16' | 'int8';

/** Error introduced in one weight tensor. */
export interface QuantizedWeightReport {
  readonly layerName: string;
  readonly name: string;
  readonly shape: readonly number[];
  /** Whether the tensor was quantized (int8 leaves biases and normalisation in float32). */
  readonly quantized: boolean;
  /** Number of int8 scales (output channels) used; 0 for float16 or untouched weights. */
  readonly channels: number;
  readonly maxAbsError: number;
  readonly rmse: number;
}

/** A quantized copy of a model and what quantization cost. */
export interface QuantizationResult {
  /** New model whose weights are the dequantized values (the original is untouched). */
  readonly model: tf.LayersModel;
  readonly mode: QuantizationMode;
  readonly weights: QuantizedWeightReport[];
  readonly maxAbsError: number;
  /** Root mean square error over all parameters. */
  readonly rmse: number;
  /** Bytes the quantized weights would occupy (2 per float16; 1 per int8 value + 4 per scale + 4 per float weight kept). */
  readonly quantizedBytes: number;
  /** float32 bytes of the original weights. */
  readonly originalBytes: number;
}

const KERNEL_NAMES = new Set(['kernel', 'depthwise_kernel', 'pointwise_kernel', 'embeddings', 'recurrent_kernel']);

/**
 * Post-training weight quantization, returning a NEW model holding the dequantized weights, so its
 * predictions show exactly what quantization costs:
 *
 * - `'float16'`: every float weight rounded to the nearest half (ties to even) and back, as TFLite's
 *   float16 quantization.
 * - `'int8'`: dynamic-range quantization of kernels (Dense, Conv, DepthwiseConv, SeparableConv,
 *   Embedding, RNN), symmetric per output channel: `scale_c = max|w_c| / 127`,
 *   `q = clamp(round(w / scale_c), -127, 127)` (round half away from zero), `w' = q * scale_c`; biases
 *   and normalisation weights stay float32.
 *
 * Pruned zeros stay exact zeros. Throws `NON_FINITE` naming the layer for NaN weights or float16 overflow.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`, `NON_FINITE`
 * @example
 * const { model: int8Model, maxAbsError } = await quantizeWeights(model, 'int8');
 */
export async function quantizeWeights(model: tf.LayersModel, mode: QuantizationMode): Promise<QuantizationResult> {
  if (mode !== 'float16' && mode !== 'int8') {
    throw new PieAuditError('INVALID_ARGUMENT', `mode must be 'float16' or 'int8' (got ${JSON.stringify(mode)})`);
  }
  assertFiniteWeights(model);
  const copy = await cloneLayersModel(model);
  const reports: QuantizedWeightReport[] = [];
  let sq = 0;
  let count = 0;
  let maxAbs = 0;
  let quantizedBytes = 0;
  let originalBytes = 0;
  const seen = new Set<number>();
  try {
    for (const layer of copy.layers) {
      const cls = layer.getClassName();
      for (const w of layer.weights) {
        if (seen.has(w.id)) continue;
        seen.add(w.id);
        const values = Float32Array.from(w.read().dataSync());
        originalBytes += values.byteLength;
        const shortName = w.originalName.split('/').pop() ?? '';
        const out = new Float32Array(values.length);
        let quantized = true;
        let channels = 0;
        if (mode === 'float16') {
          for (let i = 0; i < values.length; i++) {
            out[i] = roundToFloat16(values[i]);
            if (!Number.isFinite(out[i])) {
              throw new PieAuditError(
                'NON_FINITE',
                `layer "${layer.name}" weight "${w.originalName}" holds ${values[i]} at flat index ${i}, beyond float16's range (±65504); use int8 or keep float32`,
                { layer: layer.name, weight: w.originalName, index: i },
              );
            }
          }
          quantizedBytes += values.length * 2;
        } else if (KERNEL_NAMES.has(shortName) && !cls.startsWith('BatchNorm')) {
          const layout = channelLayout(cls, shortName, w.shape as number[]);
          channels = layout.channels;
          out.set(quantizeInt8PerChannel(values, layout).dequantized);
          quantizedBytes += values.length + channels * 4;
        } else {
          out.set(values);
          quantized = false;
          quantizedBytes += values.byteLength;
        }
        let wsq = 0;
        let wmax = 0;
        for (let i = 0; i < values.length; i++) {
          const d = Math.abs(out[i] - values[i]);
          wsq += d * d;
          if (d > wmax) wmax = d;
        }
        sq += wsq;
        count += values.length;
        if (wmax > maxAbs) maxAbs = wmax;
        reports.push({
          layerName: layer.name,
          name: w.originalName,
          shape: [...w.shape] as number[],
          quantized,
          channels,
          maxAbsError: wmax,
          rmse: values.length === 0 ? 0 : Math.sqrt(wsq / values.length),
        });
        const t = tf.tensor(out, w.shape as number[], 'float32');
        w.write(t);
        t.dispose();
      }
    }
  } catch (e) {
    copy.dispose();
    throw e;
  }
  return {
    model: copy,
    mode,
    weights: reports,
    maxAbsError: maxAbs,
    rmse: count === 0 ? 0 : Math.sqrt(sq / count),
    quantizedBytes,
    originalBytes,
  };
}
