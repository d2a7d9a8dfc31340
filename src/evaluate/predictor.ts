/**
 * The seam between model sources and evaluation: anything that maps a batch of flattened
 * inputs to a batch of class scores. tfjs models, ONNX sessions, TFLite interpreters and user functions all become one.
 */
export interface Predictor {
  /** Which runtime computes the scores; recorded per model in reports. */
  readonly runtime: 'tfjs' | 'onnx' | 'tflite' | 'function' | 'precomputed';
  /** Why a faster runtime was not used, when a fallback happened (e.g. an uncovered layer for ONNX). */
  readonly fallbackReason?: string;
  /**
   * Scores for `batchSize` examples stored row-major in `inputs` (length batchSize * featureSize).
   * Returns row-major scores of length batchSize * nClasses.
   */
  predict(inputs: Float32Array, batchSize: number): Promise<Float32Array>;
  /** Releases tensors or sessions held by the predictor. */
  dispose(): Promise<void> | void;
}
