/**
 * Every compression building block: pruning schedules, magnitude and random masks, the pruning wrapper,
 * float16 and int8 quantization, and the tfjs-to-ONNX exporter:
 * `import { magnitudeMask, PrunedModel, quantizeInt8PerChannel } from 'pie-audit/compress'`.
 * The everyday functions (`pruneLowMagnitude`, `quantizeModel`, ...) are also in the root entry.
 * @packageDocumentation
 */
export * from '../errors.js';
export * from './index.js';
export * from '../onnx/index.js';
