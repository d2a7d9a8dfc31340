import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareWithTfjs, singleLayerModel, TOLERANCE } from './equivalence.js';
import { useWasmBackend } from './helpers.js';

beforeAll(useWasmBackend);

/** tfjs accepts 'logSoftmax' at run time though its typings omit it. */
type ActivationName = Parameters<typeof tf.layers.activation>[0]['activation'];
type Apply = (x: tf.SymbolicTensor) => tf.SymbolicTensor;
const sym = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;

async function expectLayerMatches(inputShape: number[], apply: Apply, seed: number, afterConv = false): Promise<number> {
  const model = singleLayerModel(inputShape, apply, afterConv);
  try {
    const { error } = await compareWithTfjs(model, seed);
    expect(error).toBeLessThan(TOLERANCE);
    return error;
  } finally {
    model.dispose();
  }
}

/** TF's same-padding total before clamping at zero. */
function rawSamePaddingNegative(n: number, k: number, s: number, d: number): boolean {
  return (Math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n < 0;
}

/** Spatial configurations: kernel, stride, dilation (tfjs forbids stride > 1 with dilation > 1), padding, input size. */
const spatialConfig = fc
  .record({
    kernel: fc.integer({ min: 1, max: 4 }),
    stride: fc.integer({ min: 1, max: 3 }),
    dilation: fc.integer({ min: 1, max: 2 }),
    padding: fc.constantFrom<'valid' | 'same'>('valid', 'same'),
    h: fc.integer({ min: 5, max: 9 }),
    w: fc.integer({ min: 5, max: 9 }),
    channels: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
  })
  .map((c) => (c.dilation > 1 ? { ...c, stride: 1 } : c))
  // tfjs-wasm 4.22 itself departs from tfjs-cpu (and TF) for 'same' padding when the window is
  // shorter than the stride leaves room for (raw total padding < 0); that case is checked against
  // tfjs-cpu in its own test below.
  .filter(
    (c) =>
      c.padding === 'valid' ||
      (!rawSamePaddingNegative(c.h, c.kernel, c.stride, c.dilation) && !rawSamePaddingNegative(c.w, c.kernel, c.stride, c.dilation)),
  );

const PROPERTY = { seed: 20240611, numRuns: 10 };

describe('convolutions match tfjs for random kernels, strides, dilations, paddings and sizes', () => {
  it('Conv2D (with bias and relu)', async () => {
    await fc.assert(
      fc.asyncProperty(spatialConfig, fc.integer({ min: 1, max: 5 }), async (c, filters) => {
        await expectLayerMatches(
          [c.h, c.w, c.channels],
          (x) =>
            sym(
              tf.layers.conv2d({
                filters,
                kernelSize: c.kernel,
                strides: c.stride,
                dilationRate: c.dilation,
                padding: c.padding,
                activation: 'relu',
              }),
              x,
            ),
          c.seed,
        );
      }),
      PROPERTY,
    );
  });

  it('DepthwiseConv2D (depth multiplier 1-3)', async () => {
    await fc.assert(
      fc.asyncProperty(spatialConfig, fc.integer({ min: 1, max: 3 }), async (c, depthMultiplier) => {
        await expectLayerMatches(
          [c.h, c.w, c.channels],
          (x) =>
            sym(
              tf.layers.depthwiseConv2d({
                kernelSize: c.kernel,
                depthMultiplier,
                strides: c.stride,
                dilationRate: c.dilation,
                padding: c.padding,
              }),
              x,
            ),
          c.seed,
        );
      }),
      PROPERTY,
    );
  });

  it('SeparableConv2D', async () => {
    await fc.assert(
      fc.asyncProperty(
        spatialConfig,
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 5 }),
        async (c, depthMultiplier, filters) => {
          await expectLayerMatches(
            [c.h, c.w, c.channels],
            (x) =>
              sym(
                tf.layers.separableConv2d({
                  filters,
                  kernelSize: c.kernel,
                  depthMultiplier,
                  strides: c.stride,
                  dilationRate: c.dilation,
                  padding: c.padding,
                }),
                x,
              ),
            c.seed,
          );
        },
      ),
      PROPERTY,
    );
  });

  it('MaxPooling2D and AveragePooling2D (TF same padding averages over the valid window only)', async () => {
    await fc.assert(
      fc.asyncProperty(spatialConfig, fc.boolean(), async (c, max) => {
        const args = { poolSize: Math.max(c.kernel, 2), strides: c.stride, padding: c.padding };
        await expectLayerMatches(
          [c.h, c.w, c.channels],
          (x) => sym(max ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args), x),
          c.seed,
          true,
        );
      }),
      PROPERTY,
    );
  });
});

describe('single layers match tfjs, fed from the NHWC input and from an NCHW-held conv output', () => {
  const cases: Array<[string, number[], Apply]> = [
    ['BatchNormalization (rank 4)', [5, 6, 3], (x) => sym(tf.layers.batchNormalization({ epsilon: 1e-3 }), x)],
    ['GlobalAveragePooling2D', [5, 6, 3], (x) => sym(tf.layers.globalAveragePooling2d({}), x)],
    ['GlobalMaxPooling2D', [5, 6, 3], (x) => sym(tf.layers.globalMaxPooling2d({}), x)],
    ['Flatten keeps NHWC order', [4, 5, 3], (x) => sym(tf.layers.flatten(), x)],
    ['Reshape', [4, 6, 2], (x) => sym(tf.layers.reshape({ targetShape: [8, -1] }), x)],
    ['Permute', [4, 5, 3], (x) => sym(tf.layers.permute({ dims: [3, 1, 2] }), x)],
    ['Dropout is the identity at inference', [4, 5, 3], (x) => sym(tf.layers.dropout({ rate: 0.5 }), x)],
    [
      'ZeroPadding2D',
      [4, 5, 3],
      (x) =>
        sym(
          tf.layers.zeroPadding2d({
            padding: [
              [1, 2],
              [0, 3],
            ],
          }),
          x,
        ),
    ],
    [
      'Cropping2D',
      [6, 7, 3],
      (x) =>
        sym(
          tf.layers.cropping2D({
            cropping: [
              [1, 2],
              [2, 0],
            ],
          }),
          x,
        ),
    ],
    ['UpSampling2D (nearest)', [3, 4, 2], (x) => sym(tf.layers.upSampling2d({ size: [2, 3] }), x)],
    ['Softmax layer over channels', [4, 5, 3], (x) => sym(tf.layers.softmax({ axis: -1 }), x)],
    ['ReLU with maxValue', [4, 5, 3], (x) => sym(tf.layers.reLU({ maxValue: 0.5 }), x)],
    ['LeakyReLU', [4, 5, 3], (x) => sym(tf.layers.leakyReLU({ alpha: 0.2 }), x)],
    ['ELU layer', [4, 5, 3], (x) => sym(tf.layers.elu({}), x)],
    ['ThresholdedReLU', [4, 5, 3], (x) => sym(tf.layers.thresholdedReLU({ theta: 0.3 }), x)],
    [
      'Concatenate on channels',
      [4, 5, 3],
      (x) => sym(tf.layers.concatenate({ axis: -1 }), [x, sym(tf.layers.conv2d({ filters: 2, kernelSize: 1 }), x)]),
    ],
    [
      'Concatenate on width',
      [4, 5, 3],
      (x) => sym(tf.layers.concatenate({ axis: 2 }), [x, sym(tf.layers.conv2d({ filters: 3, kernelSize: 1 }), x)]),
    ],
    ['Add', [4, 5, 3], (x) => sym(tf.layers.add(), [x, sym(tf.layers.conv2d({ filters: 3, kernelSize: 1 }), x)])],
    ['Add of three', [4, 5, 3], (x) => sym(tf.layers.add(), [x, x, sym(tf.layers.conv2d({ filters: 3, kernelSize: 1 }), x)])],
    ['Multiply', [4, 5, 3], (x) => sym(tf.layers.multiply(), [x, sym(tf.layers.conv2d({ filters: 3, kernelSize: 1 }), x)])],
    ['Average', [4, 5, 3], (x) => sym(tf.layers.average(), [x, sym(tf.layers.conv2d({ filters: 3, kernelSize: 1 }), x)])],
    ['Maximum', [4, 5, 3], (x) => sym(tf.layers.maximum(), [x, sym(tf.layers.conv2d({ filters: 3, kernelSize: 1 }), x)])],
    ['Minimum', [4, 5, 3], (x) => sym(tf.layers.minimum(), [x, sym(tf.layers.conv2d({ filters: 3, kernelSize: 1 }), x)])],
    ['Dense on a rank-4 input (applies to the last axis)', [4, 5, 3], (x) => sym(tf.layers.dense({ units: 4 }), x)],
  ];
  for (const [name, shape, apply] of cases) {
    it(name, async () => {
      await expectLayerMatches(shape, apply, 11);
      await expectLayerMatches(shape, apply, 12, true);
    });
  }
});

describe('dense-side layers match tfjs', () => {
  it('Dense with and without bias, rank 2 and rank 3', async () => {
    await expectLayerMatches([7], (x) => sym(tf.layers.dense({ units: 5 }), x), 1);
    await expectLayerMatches([7], (x) => sym(tf.layers.dense({ units: 5, useBias: false }), x), 2);
    await expectLayerMatches([3, 7], (x) => sym(tf.layers.dense({ units: 5, activation: 'tanh' }), x), 3);
  });

  it('BatchNormalization on rank 2, with and without center/scale', async () => {
    await expectLayerMatches([6], (x) => sym(tf.layers.batchNormalization({}), x), 4);
    await expectLayerMatches([6], (x) => sym(tf.layers.batchNormalization({ center: false, scale: false }), x), 5);
  });

  it('Rescaling', async () => {
    await expectLayerMatches([6], (x) => sym(tf.layers.rescaling({ scale: 1 / 255, offset: -0.5 }), x), 6);
  });

  const activations = [
    'linear',
    'relu',
    'relu6',
    'sigmoid',
    'tanh',
    'softmax',
    'logSoftmax',
    'elu',
    'selu',
    'softplus',
    'softsign',
    'swish',
    'mish',
    'hardSigmoid',
    'gelu',
    'gelu_new',
  ] as const;
  for (const activation of activations) {
    it(`activation '${activation}' (Activation layer and Dense activation; on NCHW conv output too)`, async () => {
      await expectLayerMatches(
        [9],
        (x) => sym(tf.layers.activation({ activation: activation as ActivationName }), sym(tf.layers.dense({ units: 6 }), x)),
        21,
      );
      await expectLayerMatches([4, 5, 3], (x) => sym(tf.layers.activation({ activation: activation as ActivationName }), x), 22, true);
    });
  }
});

describe("'same' padding where TF's raw total padding is negative (kernel shorter than the stride leaves room for)", () => {
  // tfjs-wasm 4.22 disagrees with tfjs-cpu here; the export follows TF's definition, which tfjs-cpu implements.
  it('Conv2D, DepthwiseConv2D and pooling match tfjs-cpu', async () => {
    const applies: Apply[] = [
      (x) => sym(tf.layers.conv2d({ filters: 2, kernelSize: 2, strides: 3, padding: 'same' }), x),
      (x) => sym(tf.layers.depthwiseConv2d({ kernelSize: 2, strides: 3, padding: 'same' }), x),
      (x) => sym(tf.layers.maxPooling2d({ poolSize: 2, strides: 3, padding: 'same' }), x),
      (x) => sym(tf.layers.averagePooling2d({ poolSize: 2, strides: 3, padding: 'same' }), x),
    ];
    await tf.setBackend('cpu');
    try {
      for (const [i, apply] of applies.entries()) {
        for (const size of [6, 9]) {
          const model = singleLayerModel([size, size + 2, 2], apply);
          const { error } = await compareWithTfjs(model, 100 + i);
          expect(error).toBeLessThan(TOLERANCE);
          model.dispose();
        }
      }
    } finally {
      await useWasmBackend();
    }
  });
});
