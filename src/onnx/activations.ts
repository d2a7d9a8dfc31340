import { PieAuditError } from '../errors.js';
import type { ExportContext, OnnxValue } from './export-context.js';

/** tfjs activation identifiers (as serialized in layer configs) that the exporter maps to ONNX. */
export const SUPPORTED_ACTIVATIONS = [
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

/** Normalizes the `activation` entry of a layer config (string, null or a serialized object) to its identifier. */
export function activationName(config: unknown): string {
  if (config === undefined || config === null) return 'linear';
  if (typeof config === 'string') return config;
  if (typeof config === 'object' && 'className' in config && typeof (config as { className: unknown }).className === 'string') {
    return (config as { className: string }).className;
  }
  return String(config);
}

/** Why `activation` cannot be exported, or undefined when it can. */
export function activationIssue(activation: unknown): string | undefined {
  const name = activationName(activation);
  return (SUPPORTED_ACTIVATIONS as readonly string[]).includes(name)
    ? undefined
    : `activation '${name}' has no ONNX mapping (supported: ${SUPPORTED_ACTIVATIONS.join(', ')})`;
}

function scalar(ctx: ExportContext, base: string, value: number): string {
  return ctx.g.floatInitializer(base, [], new Float32Array([value]));
}

/**
 * Emits the nodes of a tfjs activation applied to `v` (any layout: softmax's last logical axis
 * is mapped to its physical position) and returns the result; `linear` emits nothing.
 * @throws PieAuditError `UNSUPPORTED_LAYER`
 */
export function emitActivation(ctx: ExportContext, v: OnnxValue, activation: unknown, base: string): OnnxValue {
  const name = activationName(activation);
  const g = ctx.g;
  const unary = (op: string, attrs = {}): OnnxValue => ({ ...v, name: g.node(op, [v.name], attrs, `${base}_${op.toLowerCase()}`) });
  switch (name) {
    case 'linear':
      return v;
    case 'relu':
      return unary('Relu');
    case 'relu6':
      return { ...v, name: g.node('Clip', [v.name, scalar(ctx, `${base}_min`, 0), scalar(ctx, `${base}_max`, 6)], {}, `${base}_relu6`) };
    case 'sigmoid':
      return unary('Sigmoid');
    case 'tanh':
      return unary('Tanh');
    case 'softmax':
      return unary('Softmax', { axis: { int: ctx.physicalAxis(v, -1) } });
    case 'logSoftmax':
      return unary('LogSoftmax', { axis: { int: ctx.physicalAxis(v, -1) } });
    case 'elu':
      return unary('Elu', { alpha: { float: 1 } });
    case 'selu':
      // ONNX's default alpha/gamma are the same float32 constants tfjs uses.
      return unary('Selu');
    case 'softplus':
      return unary('Softplus');
    case 'softsign':
      return unary('Softsign');
    case 'hardSigmoid':
      return unary('HardSigmoid', { alpha: { float: 0.2 }, beta: { float: 0.5 } });
    case 'swish': {
      const s = g.node('Sigmoid', [v.name], {}, `${base}_sigmoid`);
      return { ...v, name: g.node('Mul', [v.name, s], {}, `${base}_swish`) };
    }
    case 'mish': {
      const sp = g.node('Softplus', [v.name], {}, `${base}_softplus`);
      const t = g.node('Tanh', [sp], {}, `${base}_tanh`);
      return { ...v, name: g.node('Mul', [v.name, t], {}, `${base}_mish`) };
    }
    case 'gelu': {
      // 0.5 * x * (1 + erf(x / sqrt(2))), the exact form tfjs uses.
      const scaled = g.node('Div', [v.name, scalar(ctx, `${base}_sqrt2`, Math.SQRT2)], {}, `${base}_scaled`);
      const erf = g.node('Erf', [scaled], {}, `${base}_erf`);
      const onePlus = g.node('Add', [erf, scalar(ctx, `${base}_one`, 1)], {}, `${base}_one_plus`);
      const half = g.node('Mul', [onePlus, scalar(ctx, `${base}_half`, 0.5)], {}, `${base}_cdf`);
      return { ...v, name: g.node('Mul', [v.name, half], {}, `${base}_gelu`) };
    }
    case 'gelu_new': {
      // tanh approximation, as tfjs: 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).
      const cube = g.node('Mul', [v.name, g.node('Mul', [v.name, v.name], {}, `${base}_sq`)], {}, `${base}_cube`);
      const inner = g.node(
        'Add',
        [v.name, g.node('Mul', [cube, scalar(ctx, `${base}_c`, 0.044715)], {}, `${base}_ccube`)],
        {},
        `${base}_inner`,
      );
      const t = g.node(
        'Tanh',
        [g.node('Mul', [inner, scalar(ctx, `${base}_k`, Math.sqrt(2 / Math.PI))], {}, `${base}_scaled`)],
        {},
        `${base}_tanh`,
      );
      const onePlus = g.node('Add', [t, scalar(ctx, `${base}_one`, 1)], {}, `${base}_one_plus`);
      const half = g.node('Mul', [onePlus, scalar(ctx, `${base}_half`, 0.5)], {}, `${base}_cdf`);
      return { ...v, name: g.node('Mul', [v.name, half], {}, `${base}_gelu_new`) };
    }
    default:
      throw new PieAuditError('UNSUPPORTED_LAYER', `activation '${name}' in '${base}' has no ONNX mapping; use the tfjs runtime`);
  }
}
