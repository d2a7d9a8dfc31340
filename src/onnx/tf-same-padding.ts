/**
 * Explicit padding that reproduces TensorFlow's `padding: 'same'` along one spatial axis:
 * the output has ceil(inputSize / stride) positions and, when the total padding is odd,
 * the extra element goes at the end (ONNX `auto_pad: SAME_UPPER` says the same, but explicit
 * pads leave no room for runtime interpretation).
 *
 * total = max((ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0), before = floor(total / 2), after = total - before.
 *
 * @example
 * tfSamePadding(28, 3, 1, 1); // { before: 1, after: 1 }
 * tfSamePadding(32, 3, 2, 1); // { before: 0, after: 1 }
 */
export function tfSamePadding(inputSize: number, kernelSize: number, stride: number, dilation = 1): { before: number; after: number } {
  const effectiveKernel = (kernelSize - 1) * dilation + 1;
  const outputSize = Math.ceil(inputSize / stride);
  const total = Math.max((outputSize - 1) * stride + effectiveKernel - inputSize, 0);
  const before = Math.floor(total / 2);
  return { before, after: total - before };
}
