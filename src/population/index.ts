export { buildPopulation, independentSeed } from './build-population.js';
export type {
  BuildPopulationOptions,
  PopulationFineTune,
  PopulationFromScratch,
  PopulationProgress,
  PopulationScheduleKind,
} from './build-population.js';
export { disposePopulation } from './population.js';
export type { Population } from './population.js';
export { addQuantizedLevels } from './add-quantized-levels.js';
export { randomControlKey } from './population-design.js';
export type { PopulationDesign, PopulationVariant, QuantizedLevelName } from './population-design.js';
export { fineTuneSchedule, gradualSteps } from './population-schedules.js';
export type { GradualSteps } from './population-schedules.js';
export { savePopulation, POPULATION_MANIFEST } from './save-population.js';
export type { PopulationManifest } from './save-population.js';
export { loadPopulation } from './load-population.js';
export { scanPopulationFolder } from './scan-population-folder.js';
export type { PopulationScan, ScannedLevel, ScannedMember, ScanOptions } from './scan-population-folder.js';
