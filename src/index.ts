/**
 * pie-audit: audit compressed neural networks for what compression makes them forget.
 *
 * The statistics core (`analysis`) is pure TypeScript with no tfjs import; the engine
 * (`compress`, `evaluate`) loads TensorFlow.js lazily.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './analysis/index.js';
