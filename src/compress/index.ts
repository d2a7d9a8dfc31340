export { constantSparsity } from './constant-sparsity.js';
export type { ConstantSparsityOptions } from './constant-sparsity.js';
export { polynomialDecay } from './polynomial-decay.js';
export type { PolynomialDecayOptions } from './polynomial-decay.js';
export { shouldPruneInStep, validateSparsity } from './pruning-schedule.js';
export type { PruningSchedule, PruningDecision } from './pruning-schedule.js';
export { magnitudeMask, blockMagnitudeMask, keptCount } from './magnitude-mask.js';
export type { MagnitudeMask, BlockPooling, MaskTieBreak } from './magnitude-mask.js';
export { findPrunableWeights, PRUNABLE_LAYER_CLASSES } from './prunable-weights.js';
export type { PrunableWeight, FindPrunableWeightsOptions } from './prunable-weights.js';
export { PrunedModel } from './pruned-model.js';
export type { PrunedWeightState, PrunedModelSettings, UpdateMasksOptions, MaskSelection } from './pruned-model.js';
export { pruneOneShot } from './prune-one-shot.js';
export type { PruneOneShotOptions, OneShotPruningResult } from './prune-one-shot.js';
export { randomMask } from './random-mask.js';
export { assertPrunableLayers } from './assert-prunable-layers.js';
export { pruneLowMagnitude } from './prune-low-magnitude.js';
export type { PruneLowMagnitudeOptions } from './prune-low-magnitude.js';
export { fineTunePruned } from './fine-tune-pruned.js';
export type { FineTuneOptions, FineTuneResult, BatchEndInfo } from './fine-tune-pruned.js';
export type { TrainingData } from './training-data.js';
export { stripPruning } from './strip-pruning.js';
export { compressionStats } from './compression-stats.js';
export type { CompressionStats, WeightStats } from './compression-stats.js';
export { quantizeWeights } from './quantize-weights.js';
export type { QuantizationMode, QuantizationResult, QuantizedWeightReport } from './quantize-weights.js';
export { quantizeModel } from './quantize-model.js';
export type {
  QuantizeModelMode,
  QuantizeModelOptions,
  QuantizedModel,
  ActivationQuantization,
  RepresentativeData,
} from './quantize-model.js';
export { QuantizeDequantize, registerQuantizeDequantize } from './quantize-dequantize-layer.js';
export type { QuantizeDequantizeConfig } from './quantize-dequantize-layer.js';
export { int8ActivationParams } from './int8-activation-params.js';
export type { Int8ActivationParams } from './int8-activation-params.js';
export { channelLayout, quantizeInt8PerChannel } from './int8-per-channel.js';
export type { ChannelLayout, Int8PerChannel } from './int8-per-channel.js';
export { roundToFloat16, float32ToFloat16Bits, float16BitsToFloat32 } from './float16.js';
export { assertFiniteWeights } from './assert-finite-weights.js';
