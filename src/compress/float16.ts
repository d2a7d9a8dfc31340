/**
 * Rounds a float32 value to the nearest IEEE 754 half (round half to even), returning the half's bits.
 * Values beyond the half range become ±Infinity (as a float16 cast does); NaN stays NaN.
 *
 * @example
 * float32ToFloat16Bits(1);      // 0x3c00
 * float32ToFloat16Bits(65520);  // 0x7c00 (Infinity: rounds past 65504)
 */
export function float32ToFloat16Bits(value: number): number {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15; // rebiased exponent
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    // subnormal half (or zero): shift the implicit-1 mantissa right, round half to even
    if (e < -10) return sign; // too small even for the smallest subnormal (below half of it)
    const full = mant | 0x800000;
    const shift = 14 - e; // 24-bit mantissa -> 10-bit subnormal field
    let half = full >>> shift;
    const rem = full & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++; // may carry into exponent: correct
  return sign | half;
}

/**
 * The float32 value of half-precision bits.
 *
 * @example
 * float16BitsToFloat32(0x3c00); // 1
 */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/**
 * Rounds a float32 to the nearest float16 (ties to even) and back, as a float16 cast then a float32
 * cast do in TensorFlow.
 *
 * @example
 * roundToFloat16(0.1); // 0.0999755859375
 */
export function roundToFloat16(value: number): number {
  return float16BitsToFloat32(float32ToFloat16Bits(value));
}
