export { createOnnxLayersPredictor } from './layers-predictor.js';
export type { OnnxLayersPredictorOptions } from './layers-predictor.js';
