export * from './idx.js';
export * from './npy.js';
export * from './csv.js';
export * from './celeba.js';
export * from './mnist.js';
export * from './long-tail.js';
export * from './churn.js';
