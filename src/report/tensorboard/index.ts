export { writeTensorBoard, tensorBoardSteps, levelScalars } from './write-tensorboard.js';
export type { TensorBoardStepUnit } from './write-tensorboard.js';
export { crc32c, maskedCrc32c, tfRecordFile } from './tfrecord.js';
