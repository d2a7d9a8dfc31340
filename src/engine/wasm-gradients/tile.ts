import { Tile } from '@tensorflow/tfjs';
import type { DataType, KernelConfig, KernelFunc, TensorInfo, TileAttrs } from '@tensorflow/tfjs';
import { nativeKernel, wrapperConfig } from './native-kernels.js';

/** The wasm backend's heap accessors used to write a tile in place. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Tile for the wasm backend with a fast path for "repeat the whole tensor": when every axis that is
 * repeated has size 1 in `x` and comes before every axis that is not, the output is `x`'s values
 * written back to back ∏reps times, which is done with doubling `copyWithin` on the wasm heap (memcpy
 * speed). Batch normalization's gradient tiles a per-channel [1, 1, 1, C] vector to [b, h, w, C] this
 * way for every BN layer; the backend's element-wise kernel took about a third of a MobileNet training
 * step. Other tilings go to the backend's own kernel.
 *
 * @example
 * registerKernel(tileWasmConfig); // after captureNativeKernel('Tile', tileWasm)
 */
export const tileWasm: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: TensorInfo };
  const { reps } = attrs as unknown as TileAttrs;
  const rank = x.shape.length;
  let k = 0; // first axis that is not a pure repeat of a size-1 axis
  while (k < rank && x.shape[k] === 1) k++;
  let repeatOnly = x.dtype !== 'string' && x.dtype !== 'complex64';
  for (let i = k; i < rank && repeatOnly; i++) repeatOnly = reps[i] === 1;
  if (!repeatOnly) return nativeKernel(Tile).kernelFunc(args);
  const heap = backend as unknown as HeapBackend;
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = heap.makeOutput(outShape, x.dtype);
  const source = heap.typedArrayFromHeap(x);
  const target = heap.typedArrayFromHeap(out);
  const block = source.length;
  if (block === 0 || target.length === 0) return out;
  target.set(source);
  for (let filled = block; filled < target.length; filled *= 2) {
    target.copyWithin(filled, 0, Math.min(filled, target.length - filled));
  }
  return out;
};

/** Kernel registration for {@link tileWasm} (wraps the backend's own Tile). */
export const tileWasmConfig: KernelConfig = wrapperConfig(Tile, tileWasm);
