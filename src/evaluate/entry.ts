/**
 * Evaluation below `evaluatePopulation`: predictors, prediction-file parsers, ONNX runtime sessions and
 * worker pools, and the prediction cache's keys:
 * `import { createOnnxLayersPredictor, evaluateManyOnnx, parseCsvPredictions } from 'pie-audit/evaluate'`.
 * @packageDocumentation
 */
export * from '../errors.js';
export * from './index.js';
