export * from './stats/index.js';
export { assertLength, assertArrayLike } from './validate-length.js';
export { assertFinite } from './validate-finite.js';
export { assertLabels, assertClassCount } from './validate-labels.js';
export { assertPopulation, assertMinSamples } from './validate-population.js';
export { modalLabels, type ModalLabels, type ModalLabelsOptions } from './modal-labels.js';
export { findPIEs, type FindPIEsOptions, type PIEResult } from './find-pies.js';
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
