/**
 * pie-audit: audit compressed neural networks for what compression makes them forget.
 *
 * The statistics core (`pie-audit/analysis`) is pure TypeScript with no tfjs import; the engine
 * (`compress`, `evaluate`) uses TensorFlow.js and loads optional accelerated backends lazily.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './schema/index.js';
export * from './analysis/index.js';
export * from './engine/index.js';
export * from './compress/index.js';
export * from './population/index.js';
export * from './data/index.js';
export * from './evaluate/index.js';
export * from './onnx/index.js';
export * from './audit/index.js';
export * from './report/index.js';
export * from './gate/index.js';
export * from './compare/index.js';
