export { loadPredictions, predictionsFormatOf } from './load-predictions.js';
export type { LoadedPredictions } from './loaded-predictions.js';
export { parseJsonPredictions } from './parse-json-predictions.js';
export { parseCsvPredictions } from './parse-csv-predictions.js';
export { readCsvPredictions } from './read-csv-predictions.js';
export type { CsvPredictionsOptions } from './csv-predictions-builder.js';
export { parseNpy, type NpyArray } from '../../data/parse-npy.js';
export { parseNpyPredictions } from './parse-npy-predictions.js';
export { parseArrowPredictions } from './parse-arrow-predictions.js';
