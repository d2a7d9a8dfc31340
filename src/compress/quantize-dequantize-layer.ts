import * as tf from '@tensorflow/tfjs';

/** Config of a {@link QuantizeDequantize} layer: per-tensor int8 parameters. */
export interface QuantizeDequantizeConfig {
  readonly scale: number;
  /** int8 zero point in [-128, 127]. */
  readonly zeroPoint: number;
  /** Bits of the model's int8 kernels (8, or 7 for ONNX Runtime's reduce_range), for the ONNX exporter. */
  readonly weightBits?: number;
  readonly name?: string;
  readonly batchInputShape?: (number | null)[];
}

/**
 * Simulates an int8 activation tensor in float: `q = clamp(round(x / scale) + zeroPoint, -128, 127)`
 * (round half to even, as ONNX QuantizeLinear), output `(q - zeroPoint) * scale`, as ONNX's
 * QuantizeLinear then DequantizeLinear. The ONNX exporter writes it as exactly those two nodes. Until
 * `enabled` is set it passes values through (for calibration).
 *
 * @example
 * const qdq = new QuantizeDequantize({ scale: 0.1, zeroPoint: 0 });
 * (qdq.apply(tf.tensor1d([0.26, 30])) as tf.Tensor).dataSync(); // [0.3, 12.7]
 */
export class QuantizeDequantize extends tf.layers.Layer {
  static readonly className = 'QuantizeDequantize';
  scale: number;
  zeroPoint: number;
  readonly weightBits: number;
  /** False while calibrating: the layer is the identity. */
  enabled = true;

  constructor(config: QuantizeDequantizeConfig) {
    super(config as unknown as ConstructorParameters<typeof tf.layers.Layer>[0]);
    this.scale = config.scale;
    this.zeroPoint = config.zeroPoint;
    this.weightBits = config.weightBits ?? 8;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!this.enabled) return tf.clone(x);
    return tf.tidy(() => {
      const q = tf.clipByValue(tf.add(tf.round(tf.div(x, tf.scalar(this.scale))), tf.scalar(this.zeroPoint)), -128, 127);
      return tf.mul(tf.sub(q, tf.scalar(this.zeroPoint)), tf.scalar(this.scale));
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale, zeroPoint: this.zeroPoint, weightBits: this.weightBits };
  }
}

let registered = false;

/**
 * Registers {@link QuantizeDequantize} with tfjs's serialization, so saved int8-full models load. Called by the
 * code that builds or loads such models (not at import: the package has no import side effects). Idempotent.
 *
 * @example
 * registerQuantizeDequantize();
 * const model = await loadLayersModelFromFile('int8-full/seed-1');
 */
export function registerQuantizeDequantize(): void {
  if (registered) return;
  tf.serialization.registerClass(QuantizeDequantize);
  registered = true;
}
