export { createOnnxLayersPredictor } from './layers-predictor.js';
export type { OnnxLayersPredictorOptions } from './layers-predictor.js';
export { createOnnxSessionPredictor } from './session-predictor.js';
export type { OnnxSessionOptions } from './session-predictor.js';
export { evaluateManyOnnx } from './evaluate-many.js';
export type { EvaluateManyOnnxOptions, OnnxModelScores } from './evaluate-many.js';
export { loadOnnxRuntime, type OnnxRuntimeStatus, type OnnxSessionSettings } from './onnx-runtime.js';
