export * from './report-types.js';
