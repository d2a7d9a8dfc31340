import type { LayerConfig, LayerConverter } from './layer-converter.js';
import type { ExportContext, OnnxValue } from './export-context.js';

/** A kernel input: its value name, and its per-channel int8 scales when written quantized. */
export interface KernelInput {
  readonly name: string;
  readonly scales?: Float32Array;
}

/**
 * Writes a kernel (in ONNX layout, output channels on `channelAxis`) as a float32 initializer, or, in a
 * QDQ graph, as int8 values with one scale per output channel (one for the whole tensor when
 * `channelAxis` is null, as TFLite quantizes fully connected layers) and a DequantizeLinear. The values of an
 * int8-full model are already `q * scale`, so `q = round(w / scale)` with `scale = max|w_c| / 127`
 * recovers them (`ctx.kernelMax` is 63 for 7-bit weights; an all-zero channel takes scale 1, as the int8-full
 * simulation does for its bias).
 *
 * @example
 * const k = emitKernel(ctx, 'dense/kernel', [784, 128], values, 1);
 */
export function emitKernel(
  ctx: ExportContext,
  base: string,
  dims: readonly number[],
  values: Float32Array,
  channelAxis: number | null,
): KernelInput {
  if (!ctx.int8Kernels) return { name: ctx.g.floatInitializer(base, dims, values) };
  const channels = channelAxis === null ? 1 : dims[channelAxis];
  const inner = channelAxis === null ? values.length : dims.slice(channelAxis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number): number => Math.floor(i / inner) % channels;
  const max = new Float32Array(channels);
  for (let i = 0; i < values.length; i++) max[channelOf(i)] = Math.max(max[channelOf(i)], Math.abs(values[i]));
  const qmax = ctx.kernelMax;
  const scales = max.map((m) => (m === 0 ? 1 : Math.fround(m / qmax)));
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) q[i] = Math.max(-qmax, Math.min(qmax, Math.round(values[i] / scales[channelOf(i)])));
  const perTensor = channelAxis === null;
  const name = ctx.g.node(
    'DequantizeLinear',
    [
      ctx.g.int8Initializer(`${base}_quantized`, dims, q),
      ctx.g.floatInitializer(`${base}_scale`, perTensor ? [] : [channels], scales),
      ctx.g.int8Initializer(`${base}_zero_point`, perTensor ? [] : [channels], new Int8Array(channels)),
    ],
    perTensor ? {} : { axis: { int: channelAxis } },
    `${base}_dequantized`,
  );
  return { name, scales };
}

/**
 * Writes a bias as float32, or, in a QDQ graph whose input scale is known, as int32 at scale
 * `input_scale * kernel_scale[c]` with a DequantizeLinear (the bias ONNX Runtime's int8 kernels take).
 *
 * @example
 * const bias = emitBias(ctx, 'dense/bias', values, x, kernel);
 */
export function emitBias(ctx: ExportContext, base: string, values: Float32Array, input: OnnxValue, kernel: KernelInput): string {
  const inputScale = ctx.activationScales.get(input.name);
  if (!kernel.scales || inputScale === undefined) return ctx.g.floatInitializer(base, [values.length], values);
  const scales = Float32Array.from(values, (_, c) =>
    Math.fround(inputScale * (kernel.scales as Float32Array)[kernel.scales!.length === 1 ? 0 : c]),
  );
  const q = Int32Array.from(values, (b, c) => Math.round(b / scales[c]));
  return ctx.g.node(
    'DequantizeLinear',
    [
      ctx.g.int32Initializer(`${base}_quantized`, [values.length], q),
      ctx.g.floatInitializer(`${base}_scale`, [values.length], scales),
      ctx.g.int32Initializer(`${base}_zero_point`, [values.length], new Int32Array(values.length)),
    ],
    { axis: { int: 0 } },
    `${base}_dequantized`,
  );
}

/** pie-audit's QuantizeDequantize layer (int8-full models): QuantizeLinear then DequantizeLinear, per tensor. */
export const quantizeDequantize: LayerConverter = {
  issue(config: LayerConfig) {
    const scale = Number(config.scale);
    const zeroPoint = Number(config.zeroPoint);
    return scale > 0 && Number.isFinite(scale) && Number.isInteger(zeroPoint) && zeroPoint >= -128 && zeroPoint <= 127
      ? undefined
      : `needs a positive scale and an int8 zero point (got scale ${String(config.scale)}, zero point ${String(config.zeroPoint)})`;
  },
  emit(ctx, layer, config, [input]) {
    const scale = Math.fround(Number(config.scale));
    const s = ctx.g.floatInitializer(`${layer.name}/scale`, [], Float32Array.of(scale));
    const z = ctx.g.int8Initializer(`${layer.name}/zero_point`, [], Int8Array.of(Number(config.zeroPoint)));
    const q = ctx.g.node('QuantizeLinear', [input.name, s, z], {}, `${layer.name}_quantized`);
    const name = ctx.g.node('DequantizeLinear', [q, s, z], {}, layer.name);
    ctx.activationScales.set(name, scale);
    return { name, shape: input.shape, layout: input.layout };
  },
};
