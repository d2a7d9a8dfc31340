/**
 * Pure statistical tests and the special functions behind them (no TensorFlow.js).
 * @packageDocumentation
 */
export { welchTTest } from './welch-t-test.js';
export type { WelchTTestOptions, WelchTTestResult } from './welch-t-test.js';
export { adjustPValues } from './adjust-p-values.js';
export type { PAdjustMethod } from './adjust-p-values.js';
export { fisherExactTest } from './fisher-exact-test.js';
export type { FisherExactTestOptions, FisherExactTestResult } from './fisher-exact-test.js';
export { chiSquareTest } from './chi-square-test.js';
export type { ChiSquareTestOptions, ChiSquareTestResult } from './chi-square-test.js';
export type { Alternative } from './validate.js';

export { studentTCdf, studentTSf, studentTPdf, studentTQuantile } from './student-t-distribution.js';
export { chiSquareSf, chiSquareCdf } from './chi-square-distribution.js';
export { regularizedIncompleteBeta } from './incomplete-beta.js';
export { regularizedUpperGamma, regularizedLowerGamma } from './incomplete-gamma.js';
export { logGamma, logBeta } from './log-gamma.js';
export { logHypergeometricPmf, hypergeometricCdf } from './hypergeometric-distribution.js';
export { sampleMoments } from './sample-moments.js';
export type { SampleMoments } from './sample-moments.js';
export { binomialUpperTail, binomialLowerTail } from './binomial-tail.js';
