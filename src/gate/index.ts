export type * from './types.js';
export * from './evaluate-gates.js';
export * from './validate-gates.js';
export * from './level-keys.js';
