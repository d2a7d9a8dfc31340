export { exportLayersModelToOnnx, ONNX_BATCH_DIM } from './export-layers-model.js';
export type { OnnxExportOptions } from './export-layers-model.js';
export { onnxSupport } from './onnx-support.js';
export type { OnnxSupport, OnnxUnsupportedLayer } from './onnx-support.js';
