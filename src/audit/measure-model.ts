import type { ModelSource } from '../evaluate/types.js';

/** Sparsity and gzipped size of a model whose weights can be read; nulls otherwise. @internal */
export async function measureModel(source: ModelSource): Promise<{ sparsity: number | null; gzippedBytes: number | null }> {
  void source;
  return { sparsity: null, gzippedBytes: null };
}
