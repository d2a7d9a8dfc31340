/** Output-channel view of a kernel: number of channels and the channel of flat index i. */
export interface ChannelLayout {
  readonly channels: number;
  channelOf(i: number): number;
}

/**
 * The output channels of a kernel in tfjs layout: the last axis, except Conv*Transpose (second to
 * last) and depthwise kernels `[kh, kw, in, multiplier]`, where each (in, multiplier) pair is one.
 *
 * @example
 * channelLayout('Dense', 'kernel', [784, 128]).channels; // 128
 */
export function channelLayout(layerClass: string, shortName: string, shape: readonly number[]): ChannelLayout {
  const rank = shape.length;
  if (rank === 0) return { channels: 1, channelOf: () => 0 };
  if (layerClass === 'Conv2DTranspose' || layerClass === 'Conv3DTranspose') {
    const inner = shape[rank - 1];
    const out = shape[rank - 2];
    return { channels: out, channelOf: (i) => Math.floor(i / inner) % out };
  }
  if (shortName === 'depthwise_kernel' && rank >= 2) {
    const channels = shape[rank - 1] * shape[rank - 2];
    return { channels, channelOf: (i) => i % channels };
  }
  const last = shape[rank - 1];
  return { channels: last, channelOf: (i) => i % last };
}

/** TfLiteRound / std::round: half away from zero. */
function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** A kernel quantized symmetrically per output channel. */
export interface Int8PerChannel {
  /** int8 values in [-qmax, qmax]. */
  readonly q: Int8Array;
  /** One float32 scale per channel (`max|w_c| / qmax`; 0 for an all-zero channel). */
  readonly scales: Float32Array;
  /** `q * scale` in float32: what the int8 kernel computes with. */
  readonly dequantized: Float32Array;
}

/**
 * TFLite's int8 weight scheme: symmetric per output channel, `scale_c = max|w_c| / 127`,
 * `q = clamp(round(w / scale_c), -127, 127)` (round half away from zero). Pruned zeros stay zeros.
 * `qmax` 63 gives 7-bit weights (ONNX Runtime's `reduce_range`, for x86 CPUs without VNNI, whose int8
 * dot products saturate int16 with full-range weights).
 *
 * @example
 * quantizeInt8PerChannel(new Float32Array([0.5, -1, 0.25, 2]), channelLayout('Dense', 'kernel', [2, 2])).q; // [32, -64, 16, 127]
 */
export function quantizeInt8PerChannel(values: Float32Array, layout: ChannelLayout, qmax = 127): Int8PerChannel {
  const maxPerChannel = new Float32Array(layout.channels);
  for (let i = 0; i < values.length; i++) {
    const c = layout.channelOf(i);
    const a = Math.abs(values[i]);
    if (a > maxPerChannel[c]) maxPerChannel[c] = a;
  }
  const scales = maxPerChannel.map((m) => Math.fround(m / qmax));
  const q = new Int8Array(values.length);
  const dequantized = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const s = scales[layout.channelOf(i)];
    if (s === 0) continue;
    q[i] = Math.max(-qmax, Math.min(qmax, roundHalfAwayFromZero(values[i] / s)));
    dequantized[i] = Math.fround(q[i] * s);
  }
  return { q, scales, dequantized };
}
