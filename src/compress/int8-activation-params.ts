/** Per-tensor asymmetric int8 parameters of an activation. */
export interface Int8ActivationParams {
  readonly min: number;
  readonly max: number;
  readonly scale: number;
  readonly zeroPoint: number;
}

/**
 * TFLite's per-tensor int8 activation parameters for a calibrated range: the range is widened to hold
 * 0 (so zero, padding and ReLU's floor are exact), `scale = (max - min) / 255` in float32 and
 * `zeroPoint = round(-128 - min / scale)` clamped to [-128, 127]. A range of all zeros gets scale 1.
 *
 * @example
 * int8ActivationParams(0, 6.375); // { min: 0, max: 6.375, scale: 0.025, zeroPoint: -128 }
 */
export function int8ActivationParams(observedMin: number, observedMax: number): Int8ActivationParams {
  const min = Math.min(0, observedMin);
  const max = Math.max(0, observedMax);
  if (max === min) return { min, max, scale: 1, zeroPoint: 0 };
  const scale = Math.fround((max - min) / 255);
  const zeroPoint = Math.max(-128, Math.min(127, Math.round(-128 - min / scale)));
  return { min, max, scale, zeroPoint };
}
