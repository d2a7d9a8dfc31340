/**
 * tfjs layer classes that move values without changing them (reshapes, dropouts at inference, max pooling):
 * int8 values pass through at the same scale, so neither the int8-full simulation nor its QDQ export
 * requantizes after them, as TFLite does.
 *
 * @example
 * VALUE_MOVING_LAYERS.has('Flatten'); // true
 */
export const VALUE_MOVING_LAYERS: ReadonlySet<string> = new Set([
  'Flatten',
  'Reshape',
  'Permute',
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'MaxPooling2D',
  'GlobalMaxPooling2D',
]);
