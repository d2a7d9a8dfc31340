/**
 * Every data reader and codec: MNIST, the bundled churn table, CelebA's attribute files, CSV, IDX and NPY,
 * digit morphometrics and long-tail subsampling: `import { readIdx, parseCsv, measureDigits } from 'pie-audit/data'`.
 * @packageDocumentation
 */
export * from '../errors.js';
export * from './index.js';
