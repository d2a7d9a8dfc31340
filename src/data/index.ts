export { readIdx, type IdxArray } from './idx.js';
export { encodeNpy } from './npy.js';
export { parseNpy, type NpyArray } from './parse-npy.js';
export { parseCsvRecords, parseCsv, readCsv, numericColumn, type CsvTable } from './csv.js';
export { readCelebaAttributes, readCelebaPartition, selectCelebaSplit, type CelebaAttributes, type CelebaPartition } from './celeba.js';
export { mnistDataDir, loadMnist, type MnistSplit } from './mnist.js';
export { longTailIndices, takeRows } from './long-tail.js';
export { bundledChurnPath, loadChurn, standardizeColumns, type ChurnData } from './churn.js';
export { measureDigits, type DigitMorphometrics, type MeasureDigitsOptions } from './morpho-mnist.js';
export { MORPHO_GROUP_NAMES, morphoGroups, type MorphoGroupsOptions } from './morpho-groups.js';
export { decodeImage, type DecodedImage } from './decode-image.js';
export {
  PREPROCESS_PRESETS,
  resolvePreprocess,
  resizeAndCrop,
  normalizePixels,
  preprocessedShape,
  type Preprocess,
  type PreprocessSpec,
  type ResolvedPreprocess,
} from './preprocess.js';
export {
  listImageTestSet,
  listImageFolder,
  readImageList,
  readCelebaImages,
  type ImageTestSet,
  type ImageSource,
} from './image-test-set.js';
