import type { layers } from '@tensorflow/tfjs';
import type { ExportContext, LogicalShape, OnnxValue } from './export-context.js';

/** A layer's serialised config (`layer.getConfig()`). */
export type LayerConfig = Record<string, unknown>;

/**
 * Maps one tfjs layer class to ONNX nodes.
 *
 * `issue` says why a particular layer instance cannot be exported (undefined when it can);
 * `emit` adds the nodes and returns the layer's output value.
 */
export interface LayerConverter {
  issue(config: LayerConfig, inputShapes: LogicalShape[], outputShape: LogicalShape): string | undefined;
  emit(ctx: ExportContext, layer: layers.Layer, config: LayerConfig, inputs: OnnxValue[], outputShape: LogicalShape): OnnxValue;
}
