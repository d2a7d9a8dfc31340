export type * from '../schema/index.js';
export * from './evaluate-gates.js';
export * from './validate-gates.js';
export * from '../schema/level-key.js';
