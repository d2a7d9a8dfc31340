export * from './stats/index.js';
export { assertLength, assertArrayLike } from './validate-length.js';
export { assertFinite } from './validate-finite.js';
export { assertLabels, assertClassCount } from './validate-labels.js';
export { assertPopulation, assertMinSamples } from './validate-population.js';
export { modalLabels, type ModalLabels, type ModalLabelsOptions } from './modal-labels.js';
export { findPIEs, type FindPIEsOptions, type PIEResult } from './find-pies.js';
export { listPies, type ListPiesOptions, type PieRecord } from './list-pies.js';
export { perClassRecall, type PerClassRecall } from './per-class-recall.js';
export { topOneAccuracy } from './top-one-accuracy.js';
export { populationRecall, type PopulationRecall } from './population-recall.js';
export {
  subgroupErrorRates,
  type GroupValue,
  type SubgroupRates,
  type SubgroupErrorRates,
  type SubgroupErrorRatesOptions,
} from './subgroup-error-rates.js';
export {
  compareSubgroupErrorRates,
  type CompareSubgroupErrorRatesInput,
  type ErrorRateTriple,
  type SubgroupComparison,
  type SubgroupErrorRateComparison,
} from './compare-subgroup-error-rates.js';
export {
  classImpactTest,
  CONSTANT_EQUAL_REASON,
  CONSTANT_DIFFERENT_REASON,
  CONSTANT_UNREACHABLE_REASON,
  type ClassImpactInput,
  type ClassImpactOptions,
  type ClassImpactCorrection,
  type ClassImpactReason,
  type ClassImpactRow,
  type ClassImpactResult,
} from './class-impact-test.js';
export {
  attributeOverIndex,
  type AttributeOverIndexOptions,
  type AttributeOverIndexRow,
  type AttributeOverIndexResult,
} from './attribute-over-index.js';
export { intersectionOverIndex } from './intersection-over-index.js';
export type { IntersectionOverIndexOptions, IntersectionOverIndexResult } from './intersection-over-index.js';
export { pieNoiseFloor, modelsNeeded, type PieNoiseFloor, type PieNoiseFloorOptions } from './pie-noise-floor.js';
export { resolveNoiseFloorDesign, type NoiseFloorDesignChoice, type ResolvedNoiseFloorDesign } from './noise-floor-design.js';
export {
  permutationSplits,
  type PermutationDesign,
  type PermutationSplits,
  type PermutationSplitsOptions,
} from './permutation-splits.js';
export { pieSplitCounts, type PieSplitCounts, type PieSplitCountsOptions } from './pie-split-counts.js';
export {
  bootstrapResample,
  bootstrapSettings,
  type BootstrapInterval,
  type BootstrapOptions,
  type BootstrapSettings,
  type WeightedStatistics,
} from './bootstrap-resample.js';
export { shareCorrect } from './share-correct.js';
export { sharePredicting } from './share-predicting.js';
export { bootstrapTop1Intervals, type Top1Intervals } from './bootstrap-top1-intervals.js';
export { bootstrapPieRateInterval } from './bootstrap-pie-rate-interval.js';
export { bootstrapClassRecallIntervals, type ClassRecallIntervals } from './bootstrap-class-recall-intervals.js';
export { bootstrapOverIndexIntervals, type OverIndexInterval } from './bootstrap-over-index-intervals.js';
export {
  bootstrapErrorRateIntervals,
  type ErrorRateIntervalsInput,
  type GroupErrorRateIntervals,
  type RateIntervals,
} from './bootstrap-error-rate-intervals.js';
export {
  pieAccuracyBreakdown,
  type PieAccuracyBreakdown,
  type PieAccuracyBreakdownInput,
  type SubsetAccuracy,
} from './pie-accuracy-breakdown.js';
export { topKAccuracy } from './top-k-accuracy.js';
export { meanProbabilities } from './mean-probabilities.js';
export { taxicabDistances } from './taxicab-distances.js';
export { topExemplarsByDistance, type TopExemplars } from './top-exemplars.js';
export { constantSamplesPermutationP } from './constant-samples-permutation-p.js';
export { excessThresholdTest, type ExcessThresholdTest } from './excess-threshold-test.js';
export { overIndexThresholdTest, type OverIndexThresholdTest } from './over-index-threshold-test.js';
