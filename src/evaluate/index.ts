export type { Predictor } from './predictor.js';
export type * from './types.js';
export { argmaxRows } from './argmax-rows.js';
export * from './predictions/index.js';
