import type { layers } from '@tensorflow/tfjs';
import { PieAuditError } from '../errors.js';
import { activationIssue, emitActivation } from './activations.js';
import { layerWeights, pair } from './export-context.js';
import type { ExportContext, LayerWeight, LogicalShape, OnnxValue } from './export-context.js';
import { emitBias, emitKernel, quantizeDequantize, type KernelInput } from './qdq.js';
import { tfSamePadding } from './tf-same-padding.js';

import type { LayerConfig, LayerConverter } from './layer-converter.js';

export type { LayerConfig, LayerConverter } from './layer-converter.js';

// ---------------------------------------------------------------------------------------------
// Shared checks and weight layouts

function channelsLastIssue(config: LayerConfig): string | undefined {
  const f = config.dataFormat;
  return f === undefined || f === null || f === 'channelsLast'
    ? undefined
    : `dataFormat '${String(f)}' is not exported (only channelsLast)`;
}

function rankIssue(inputShapes: LogicalShape[], rank: number): string | undefined {
  return inputShapes.length === 1 && inputShapes[0].length === rank
    ? undefined
    : `expects one rank-${rank} input, got ${inputShapes.map((s) => `[${s.join(', ')}]`).join(' and ')}`;
}

function paddingIssue(config: LayerConfig, inputShapes: LogicalShape[]): string | undefined {
  if (config.padding === 'valid') return undefined;
  if (config.padding !== 'same') return `padding '${String(config.padding)}' is not exported (only valid and same)`;
  const [, h, w] = inputShapes[0] ?? [];
  return typeof h === 'number' && typeof w === 'number' ? undefined : "padding 'same' needs a known input height and width";
}

function firstIssue(...issues: Array<string | undefined>): string | undefined {
  return issues.find((x) => x !== undefined);
}

/** ONNX Conv/Pool `pads` ([top, left, bottom, right]) for the layer's padding mode. */
function spatialPads(
  config: LayerConfig,
  inputShape: LogicalShape,
  kernel: [number, number],
  strides: [number, number],
  dilation: [number, number],
): number[] {
  if (config.padding !== 'same') return [0, 0, 0, 0];
  const ph = tfSamePadding(inputShape[1] as number, kernel[0], strides[0], dilation[0]);
  const pw = tfSamePadding(inputShape[2] as number, kernel[1], strides[1], dilation[1]);
  return [ph.before, pw.before, ph.after, pw.after];
}

/** tfjs conv kernel [kh, kw, in, out] -> ONNX weight [out, in, kh, kw]. */
function convKernelToOihw(w: LayerWeight): { dims: number[]; values: Float32Array } {
  const [kh, kw, ci, co] = w.shape;
  const out = new Float32Array(w.values.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + y) * kw + x] = w.values[((y * kw + x) * ci + i) * co + o];
  return { dims: [co, ci, kh, kw], values: out };
}

/** tfjs depthwise kernel [kh, kw, in, multiplier] -> ONNX grouped weight [in * multiplier, 1, kh, kw]. */
function depthwiseKernelToOihw(w: LayerWeight): { dims: number[]; values: Float32Array } {
  const [kh, kw, ci, dm] = w.shape;
  const out = new Float32Array(w.values.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let c = 0; c < ci; c++)
        for (let m = 0; m < dm; m++) out[((c * dm + m) * kh + y) * kw + x] = w.values[((y * kw + x) * ci + c) * dm + m];
  return { dims: [ci * dm, 1, kh, kw], values: out };
}

function requireWeight(weights: Map<string, LayerWeight>, role: string, layer: layers.Layer): LayerWeight {
  const w = weights.get(role);
  if (!w) throw new PieAuditError('CORRUPT_MODEL', `layer '${layer.name}' has no '${role}' weight; build the model before exporting it`);
  return w;
}

function biasInput(
  ctx: ExportContext,
  layer: layers.Layer,
  weights: Map<string, LayerWeight>,
  input: OnnxValue,
  kernel: KernelInput,
): string[] {
  const b = weights.get('bias');
  return b ? [emitBias(ctx, `${layer.name}/bias`, b.values, input, kernel)] : [];
}

// ---------------------------------------------------------------------------------------------
// Core layers

const dense: LayerConverter = {
  issue: (config, inputShapes) =>
    firstIssue(
      inputShapes.length === 1 && inputShapes[0].length >= 2 ? undefined : 'expects one input of rank >= 2',
      activationIssue(config.activation),
    ),
  emit(ctx, layer, config, [input], outputShape) {
    const x = ctx.toNatural(input);
    const weights = layerWeights(layer);
    const k = requireWeight(weights, 'kernel', layer);
    const kernelInput = emitKernel(ctx, `${layer.name}/kernel`, [...k.shape], k.values, null);
    const kernel = kernelInput.name;
    const bias = biasInput(ctx, layer, weights, x, kernelInput);
    let y: string;
    if (x.shape.length === 2) {
      y = ctx.g.node('Gemm', [x.name, kernel, ...bias], {}, layer.name);
    } else {
      // tfjs applies Dense to the last axis of any rank: MatMul broadcasts the same way.
      y = ctx.g.node('MatMul', [x.name, kernel], {}, `${layer.name}_matmul`);
      if (bias.length) y = ctx.g.node('Add', [y, bias[0]], {}, layer.name);
    }
    return emitActivation(ctx, ctx.value(y, outputShape, 'nhwc'), config.activation, layer.name);
  },
};

const conv2d: LayerConverter = {
  issue: (config, inputShapes) =>
    firstIssue(rankIssue(inputShapes, 4), channelsLastIssue(config), paddingIssue(config, inputShapes), activationIssue(config.activation)),
  emit(ctx, layer, config, [input], outputShape) {
    const x = ctx.toNchw(input);
    const weights = layerWeights(layer);
    const k = convKernelToOihw(requireWeight(weights, 'kernel', layer));
    const kernelSize: [number, number] = [k.dims[2], k.dims[3]];
    const strides = pair(config.strides, 1);
    const dilations = pair(config.dilationRate, 1);
    const w = emitKernel(ctx, `${layer.name}/kernel`, k.dims, k.values, 0);
    const y = ctx.g.node(
      'Conv',
      [x.name, w.name, ...biasInput(ctx, layer, weights, x, w)],
      {
        kernel_shape: { ints: kernelSize },
        strides: { ints: strides },
        dilations: { ints: dilations },
        pads: { ints: spatialPads(config, input.shape, kernelSize, strides, dilations) },
        group: { int: 1 },
      },
      layer.name,
    );
    return emitActivation(ctx, ctx.value(y, outputShape, 'nchw'), config.activation, layer.name);
  },
};

function emitDepthwise(
  ctx: ExportContext,
  layer: layers.Layer,
  config: LayerConfig,
  x: OnnxValue,
  inputShape: LogicalShape,
  w: LayerWeight,
  bias: (kernel: KernelInput) => string[],
  out: string,
  dilations: [number, number],
): string {
  const k = depthwiseKernelToOihw(w);
  const kernelSize: [number, number] = [k.dims[2], k.dims[3]];
  const strides = pair(config.strides, 1);
  const weight = emitKernel(ctx, `${layer.name}/depthwise_kernel`, k.dims, k.values, 0);
  return ctx.g.node(
    'Conv',
    [x.name, weight.name, ...bias(weight)],
    {
      kernel_shape: { ints: kernelSize },
      strides: { ints: strides },
      dilations: { ints: dilations },
      pads: { ints: spatialPads(config, inputShape, kernelSize, strides, dilations) },
      group: { int: w.shape[2] },
    },
    out,
  );
}

const depthwiseConv2d: LayerConverter = {
  issue: conv2d.issue,
  emit(ctx, layer, config, [input], outputShape) {
    const x = ctx.toNchw(input);
    const weights = layerWeights(layer);
    // tfjs 4.x's DepthwiseConv2D layer ignores dilationRate (it computes, and reports shapes for, an
    // undilated convolution); the export reproduces what tfjs computes.
    const kernel = requireWeight(weights, 'depthwise_kernel', layer);
    const y = emitDepthwise(ctx, layer, config, x, input.shape, kernel, (k) => biasInput(ctx, layer, weights, x, k), layer.name, [1, 1]);
    return emitActivation(ctx, ctx.value(y, outputShape, 'nchw'), config.activation, layer.name);
  },
};

const separableConv2d: LayerConverter = {
  issue: conv2d.issue,
  emit(ctx, layer, config, [input], outputShape) {
    const x = ctx.toNchw(input);
    const weights = layerWeights(layer);
    const kernel = requireWeight(weights, 'depthwise_kernel', layer);
    const dilations = pair(config.dilationRate, 1);
    const depthwise = emitDepthwise(ctx, layer, config, x, input.shape, kernel, () => [], `${layer.name}_depthwise`, dilations);
    const p = convKernelToOihw(requireWeight(weights, 'pointwise_kernel', layer));
    const pw = emitKernel(ctx, `${layer.name}/pointwise_kernel`, p.dims, p.values, 0);
    const y = ctx.g.node(
      'Conv',
      [depthwise, pw.name, ...biasInput(ctx, layer, weights, ctx.value(depthwise, input.shape, 'nchw'), pw)],
      {
        kernel_shape: { ints: [1, 1] },
        strides: { ints: [1, 1] },
        pads: { ints: [0, 0, 0, 0] },
        group: { int: 1 },
      },
      layer.name,
    );
    return emitActivation(ctx, ctx.value(y, outputShape, 'nchw'), config.activation, layer.name);
  },
};

const batchNormalization: LayerConverter = {
  issue(config, inputShapes) {
    if (inputShapes.length !== 1) return 'expects one input';
    const rank = inputShapes[0].length;
    const axis = typeof config.axis === 'number' ? (config.axis < 0 ? rank + config.axis : config.axis) : NaN;
    if ((rank === 4 && axis === 3) || (rank === 2 && axis === 1)) return undefined;
    return `only the channel (last) axis of rank-2 or rank-4 inputs is exported (axis ${String(config.axis)}, rank ${rank})`;
  },
  emit(ctx, layer, config, [input], outputShape) {
    const x = input.shape.length === 4 ? ctx.toNchw(input) : input;
    const weights = layerWeights(layer);
    const mean = requireWeight(weights, 'moving_mean', layer);
    const channels = mean.values.length;
    const role = (r: string, fill: number): string => {
      const w = weights.get(r);
      return ctx.g.floatInitializer(`${layer.name}/${r}`, [channels], w ? w.values : new Float32Array(channels).fill(fill));
    };
    const y = ctx.g.node(
      'BatchNormalization',
      [x.name, role('gamma', 1), role('beta', 0), role('moving_mean', 0), role('moving_variance', 1)],
      {
        epsilon: { float: Number(config.epsilon ?? 1e-3) },
      },
      layer.name,
    );
    return ctx.value(y, outputShape, x.layout);
  },
};

function pooling(op: 'MaxPool' | 'AveragePool'): LayerConverter {
  return {
    issue: (config, inputShapes) => firstIssue(rankIssue(inputShapes, 4), channelsLastIssue(config), paddingIssue(config, inputShapes)),
    emit(ctx, layer, config, [input], outputShape) {
      const x = ctx.toNchw(input);
      const kernel = pair(config.poolSize, 2);
      const strides = pair(config.strides ?? config.poolSize, kernel[0]);
      const attrs = {
        kernel_shape: { ints: kernel },
        strides: { ints: strides },
        pads: { ints: spatialPads(config, input.shape, kernel, strides, [1, 1]) },
        // TF averages over the valid (unpadded) window only.
        ...(op === 'AveragePool' ? { count_include_pad: { int: 0 } } : {}),
      };
      return ctx.value(ctx.g.node(op, [x.name], attrs, layer.name), outputShape, 'nchw');
    },
  };
}

function globalPooling(op: 'GlobalAveragePool' | 'GlobalMaxPool'): LayerConverter {
  return {
    issue: (config, inputShapes) =>
      firstIssue(rankIssue(inputShapes, 4), channelsLastIssue(config), config.keepDims ? 'keepDims is not exported' : undefined),
    emit(ctx, layer, _config, [input], outputShape) {
      const x = ctx.toNchw(input);
      const pooled = ctx.g.node(op, [x.name], {}, `${layer.name}_pool`);
      return ctx.value(ctx.g.node('Flatten', [pooled], { axis: { int: 1 } }, layer.name), outputShape, 'plain');
    },
  };
}

const flatten: LayerConverter = {
  issue: (config, inputShapes) => firstIssue(inputShapes.length === 1 ? undefined : 'expects one input', channelsLastIssue(config)),
  emit(ctx, layer, _config, [input], outputShape) {
    // tfjs flattens in channels-last order, so the natural layout is restored first.
    const x = ctx.toNatural(input);
    return ctx.value(ctx.g.node('Flatten', [x.name], { axis: { int: 1 } }, layer.name), outputShape, 'plain');
  },
};

const reshape: LayerConverter = {
  issue: (config, inputShapes) =>
    inputShapes.length === 1 && Array.isArray(config.targetShape) ? undefined : 'expects one input and a targetShape',
  emit(ctx, layer, config, [input], outputShape) {
    const x = ctx.toNatural(input);
    // 0 copies the batch dimension; the unknown entry (-1, serialized by tfjs as null) is inferred.
    const target = (config.targetShape as Array<number | null>).map((d) => (d === null || d < 0 ? -1 : d));
    const shape = ctx.g.int64Initializer(`${layer.name}/shape`, [0, ...target]);
    return ctx.value(ctx.g.node('Reshape', [x.name, shape], {}, layer.name), outputShape, 'nhwc');
  },
};

const permute: LayerConverter = {
  issue: (config, inputShapes) => (inputShapes.length === 1 && Array.isArray(config.dims) ? undefined : 'expects one input and dims'),
  emit(ctx, layer, config, [input], outputShape) {
    const x = ctx.toNatural(input);
    const perm = [0, ...(config.dims as number[])];
    return ctx.value(ctx.g.node('Transpose', [x.name], { perm: { ints: perm } }, layer.name), outputShape, 'nhwc');
  },
};

const identity: LayerConverter = {
  issue: (_config, inputShapes) => (inputShapes.length === 1 ? undefined : 'expects one input'),
  emit: (_ctx, _layer, _config, [input]) => input,
};

const activation: LayerConverter = {
  issue: (config, inputShapes) =>
    firstIssue(inputShapes.length === 1 ? undefined : 'expects one input', activationIssue(config.activation)),
  emit: (ctx, layer, config, [input]) => emitActivation(ctx, input, config.activation, layer.name),
};

const relu: LayerConverter = {
  issue: (config, inputShapes) =>
    firstIssue(
      inputShapes.length === 1 ? undefined : 'expects one input',
      config.maxValue === null || config.maxValue === undefined || typeof config.maxValue === 'number'
        ? undefined
        : 'maxValue must be a number',
    ),
  emit(ctx, layer, config, [input]) {
    if (typeof config.maxValue !== 'number') return { ...input, name: ctx.g.node('Relu', [input.name], {}, layer.name) };
    const lo = ctx.g.floatInitializer(`${layer.name}/min`, [], new Float32Array([0]));
    const hi = ctx.g.floatInitializer(`${layer.name}/max`, [], new Float32Array([config.maxValue]));
    return { ...input, name: ctx.g.node('Clip', [input.name, lo, hi], {}, layer.name) };
  },
};

function unaryWithAlpha(op: string, key: string, fallback: number): LayerConverter {
  return {
    issue: identity.issue,
    emit: (ctx, layer, config, [input]) => ({
      ...input,
      name: ctx.g.node(op, [input.name], { alpha: { float: Number(config[key] ?? fallback) } }, layer.name),
    }),
  };
}

const thresholdedRelu: LayerConverter = {
  issue: identity.issue,
  emit: (ctx, layer, config, [input]) => ({
    ...input,
    name: ctx.g.node('ThresholdedRelu', [input.name], { alpha: { float: Number(config.theta ?? 1) } }, layer.name),
  }),
};

const softmaxLayer: LayerConverter = {
  issue: (config, inputShapes) =>
    firstIssue(
      inputShapes.length === 1 ? undefined : 'expects one input',
      typeof config.axis === 'number' || config.axis === undefined ? undefined : 'only a single softmax axis is exported',
    ),
  emit: (ctx, layer, config, [input]) => ({
    ...input,
    name: ctx.g.node('Softmax', [input.name], { axis: { int: ctx.physicalAxis(input, Number(config.axis ?? -1)) } }, layer.name),
  }),
};

const rescaling: LayerConverter = {
  issue: identity.issue,
  emit(ctx, layer, config, [input]) {
    const scale = ctx.g.floatInitializer(`${layer.name}/scale`, [], new Float32Array([Number(config.scale ?? 1)]));
    const offset = ctx.g.floatInitializer(`${layer.name}/offset`, [], new Float32Array([Number(config.offset ?? 0)]));
    const scaled = ctx.g.node('Mul', [input.name, scale], {}, `${layer.name}_scaled`);
    return { ...input, name: ctx.g.node('Add', [scaled, offset], {}, layer.name) };
  },
};

// ---------------------------------------------------------------------------------------------
// Padding, cropping, resizing

function pairOfPairs(v: unknown): [[number, number], [number, number]] | undefined {
  if (typeof v === 'number')
    return [
      [v, v],
      [v, v],
    ];
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const [a, b] = v.map((x) => (typeof x === 'number' ? [x, x] : x)) as unknown[];
  const ok = (p: unknown): p is [number, number] => Array.isArray(p) && p.length === 2 && p.every((n) => typeof n === 'number');
  return ok(a) && ok(b) ? [a, b] : undefined;
}

const zeroPadding2d: LayerConverter = {
  issue: (config, inputShapes) =>
    firstIssue(
      rankIssue(inputShapes, 4),
      channelsLastIssue(config),
      pairOfPairs(config.padding) ? undefined : 'padding must be [[top, bottom], [left, right]]',
    ),
  emit(ctx, layer, config, [input], outputShape) {
    const [[t, b], [l, r]] = pairOfPairs(config.padding)!;
    // Padding commutes with the layout, so it is applied wherever the value currently lives.
    const pads = input.layout === 'nchw' ? [0, 0, t, l, 0, 0, b, r] : [0, t, l, 0, 0, b, r, 0];
    const y = ctx.g.node(
      'Pad',
      [input.name, ctx.g.int64Initializer(`${layer.name}/pads`, pads)],
      { mode: { string: 'constant' } },
      layer.name,
    );
    return ctx.value(y, outputShape, input.layout);
  },
};

const cropping2d: LayerConverter = {
  issue: (config, inputShapes) =>
    firstIssue(
      rankIssue(inputShapes, 4),
      channelsLastIssue(config),
      pairOfPairs(config.cropping) ? undefined : 'cropping must be [[top, bottom], [left, right]]',
      typeof inputShapes[0]?.[1] === 'number' && typeof inputShapes[0]?.[2] === 'number'
        ? undefined
        : 'needs a known input height and width',
    ),
  emit(ctx, layer, config, [input], outputShape) {
    const [[t, b], [l, r]] = pairOfPairs(config.cropping)!;
    const h = input.shape[1] as number;
    const w = input.shape[2] as number;
    const axes = input.layout === 'nchw' ? [2, 3] : [1, 2];
    const y = ctx.g.node(
      'Slice',
      [
        input.name,
        ctx.g.int64Initializer(`${layer.name}/starts`, [t, l]),
        ctx.g.int64Initializer(`${layer.name}/ends`, [h - b, w - r]),
        ctx.g.int64Initializer(`${layer.name}/axes`, axes),
      ],
      {},
      layer.name,
    );
    return ctx.value(y, outputShape, input.layout);
  },
};

const upSampling2d: LayerConverter = {
  issue: (config, inputShapes) =>
    firstIssue(
      rankIssue(inputShapes, 4),
      channelsLastIssue(config),
      config.interpolation === undefined || config.interpolation === 'nearest'
        ? undefined
        : `interpolation '${String(config.interpolation)}' is not exported (only nearest)`,
    ),
  emit(ctx, layer, config, [input], outputShape) {
    const x = ctx.toNchw(input);
    const [sh, sw] = pair(config.size, 2);
    const scales = ctx.g.floatInitializer(`${layer.name}/scales`, [4], new Float32Array([1, 1, sh, sw]));
    // tfjs resizeNearestNeighbor without alignCorners/halfPixelCenters: source = floor(target / scale).
    const y = ctx.g.node(
      'Resize',
      [x.name, '', scales],
      {
        mode: { string: 'nearest' },
        coordinate_transformation_mode: { string: 'asymmetric' },
        nearest_mode: { string: 'floor' },
      },
      layer.name,
    );
    return ctx.value(y, outputShape, 'nchw');
  },
};

// ---------------------------------------------------------------------------------------------
// Merge layers

function sameRankIssue(inputShapes: LogicalShape[], min = 2): string | undefined {
  if (inputShapes.length < min) return `expects at least ${min} inputs`;
  const rank = inputShapes[0].length;
  return inputShapes.every((s) => s.length === rank) ? undefined : 'inputs of different ranks are not exported';
}

/** All inputs in one layout: NCHW when any already is (convolutional branches), otherwise as they are. */
function alignInputs(ctx: ExportContext, inputs: OnnxValue[]): OnnxValue[] {
  const anyNchw = inputs.some((v) => v.layout === 'nchw');
  return inputs.map((v) => (anyNchw ? ctx.toNchw(v) : v));
}

function elementwise(op: 'Add' | 'Mul' | 'Max' | 'Min' | 'Mean'): LayerConverter {
  return {
    issue: (_config, inputShapes) => sameRankIssue(inputShapes),
    emit(ctx, layer, _config, inputs, outputShape) {
      const xs = alignInputs(ctx, inputs);
      let y: string;
      if (op === 'Add' && xs.length > 2)
        y = ctx.g.node(
          'Sum',
          xs.map((v) => v.name),
          {},
          layer.name,
        );
      else if (op === 'Add' || op === 'Mul') {
        y = xs[0].name;
        for (let i = 1; i < xs.length; i++)
          y = ctx.g.node(op, [y, xs[i].name], {}, i === xs.length - 1 ? layer.name : `${layer.name}_${i}`);
      } else
        y = ctx.g.node(
          op,
          xs.map((v) => v.name),
          {},
          layer.name,
        );
      return ctx.value(y, outputShape, xs[0].layout);
    },
  };
}

const concatenate: LayerConverter = {
  issue: (config, inputShapes) =>
    firstIssue(
      sameRankIssue(inputShapes),
      typeof config.axis === 'number' || config.axis === undefined ? undefined : 'axis must be a number',
    ),
  emit(ctx, layer, config, inputs, outputShape) {
    const xs = alignInputs(ctx, inputs);
    const axis = ctx.physicalAxis(xs[0], Number(config.axis ?? -1));
    return ctx.value(
      ctx.g.node(
        'Concat',
        xs.map((v) => v.name),
        { axis: { int: axis } },
        layer.name,
      ),
      outputShape,
      xs[0].layout,
    );
  },
};

/** Converters by tfjs layer class name. InputLayer is handled by the exporter itself. */
export const LAYER_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  Dense: dense,
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
  BatchNormalization: batchNormalization,
  Activation: activation,
  ReLU: relu,
  LeakyReLU: unaryWithAlpha('LeakyRelu', 'alpha', 0.3),
  ELU: unaryWithAlpha('Elu', 'alpha', 1),
  ThresholdedReLU: thresholdedRelu,
  Softmax: softmaxLayer,
  Rescaling: rescaling,
  MaxPooling2D: pooling('MaxPool'),
  AveragePooling2D: pooling('AveragePool'),
  GlobalAveragePooling2D: globalPooling('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPooling('GlobalMaxPool'),
  Flatten: flatten,
  Reshape: reshape,
  Permute: permute,
  Dropout: identity,
  SpatialDropout1D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
  ZeroPadding2D: zeroPadding2d,
  Cropping2D: cropping2d,
  UpSampling2D: upSampling2d,
  Add: elementwise('Add'),
  Multiply: elementwise('Mul'),
  Average: elementwise('Mean'),
  Maximum: elementwise('Max'),
  Minimum: elementwise('Min'),
  Concatenate: concatenate,
  QuantizeDequantize: quantizeDequantize,
};
