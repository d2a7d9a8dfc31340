/**
 * The serialised schema every stage shares: report and gate types, level keys and the closed word lists.
 * A leaf: it imports nothing but `errors`.
 * @packageDocumentation
 */
export * from './report.js';
export type * from './gates.js';
export * from './level-key.js';
export * from './vocabulary.js';
export * from './finite.js';
export * from './known-keys.js';
export * from './format.js';
