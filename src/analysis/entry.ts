/**
 * The pure statistics core of pie-audit, importable without TensorFlow.js:
 * `import { findPIEs, welchTTest } from 'pie-audit/analysis'`.
 * @packageDocumentation
 */
export * from '../errors.js';
export * from './index.js';
