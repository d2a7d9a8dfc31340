export { buildPopulation } from './build-population.js';
export type { BuildPopulationOptions, PopulationFineTune, PopulationProgress, PopulationScheduleKind } from './build-population.js';
export { disposePopulation } from './population.js';
export type { Population } from './population.js';
export { savePopulation, POPULATION_MANIFEST } from './save-population.js';
export type { PopulationManifest } from './save-population.js';
export { loadPopulation } from './load-population.js';
export { scanPopulationFolder } from './scan-population-folder.js';
export type { PopulationScan, ScannedLevel, ScannedMember, ScanOptions } from './scan-population-folder.js';
