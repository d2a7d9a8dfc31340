import { endianness } from 'node:os';
import { onnx } from './onnx-proto.js';
import type { OnnxTypes } from './onnx-proto.js';

/** An attribute value accepted by {@link OnnxGraphBuilder.node}: numbers are INT when integral unless listed as floats. */
export type OnnxAttributeValue = { int: number } | { float: number } | { ints: number[] } | { floats: number[] } | { string: string };

/** A static dimension, or a named symbolic one (e.g. the batch). */
export type OnnxDim = number | string;

const LITTLE_ENDIAN = endianness() === 'LE';

/** Bytes of a typed array in little-endian order, as ONNX `raw_data` requires. */
function littleEndianBytes(values: Float32Array | BigInt64Array | Int32Array | Int8Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
  if (!LITTLE_ENDIAN) {
    const width = values.BYTES_PER_ELEMENT;
    for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
  }
  return bytes;
}

function attribute(name: string, value: OnnxAttributeValue): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('int' in value) return { name, type: T.INT, i: value.int };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('ints' in value) return { name, type: T.INTS, ints: value.ints };
  if ('floats' in value) return { name, type: T.FLOATS, floats: value.floats };
  return { name, type: T.STRING, s: new TextEncoder().encode(value.string) };
}

function valueInfo(name: string, dims: readonly OnnxDim[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/**
 * Collects ONNX nodes, initializers and graph inputs/outputs, hands out unique value names,
 * and encodes the result as a serialized ModelProto.
 *
 * @example
 * const g = new OnnxGraphBuilder();
 * g.input('x', ['batch', 4]);
 * const y = g.node('Relu', ['x'], {}, 'y');
 * g.output(y, ['batch', 4]);
 * const bytes = g.encode({ opset: 13, producer: 'me' });
 */
export class OnnxGraphBuilder {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly used = new Set<string>();

  /** A value name not used yet, derived from `base`. */
  uniqueName(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Declares a float32 graph input. */
  input(name: string, dims: readonly OnnxDim[]): string {
    this.used.add(name);
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /** Declares `name` (already produced by a node) as a float32 graph output. */
  output(name: string, dims: readonly OnnxDim[]): void {
    this.outputs.push(valueInfo(name, dims));
  }

  /** Adds a float32 initializer and returns its (unique) name. */
  floatInitializer(base: string, dims: readonly number[], values: Float32Array): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (expected !== values.length) throw new Error(`initializer ${base}: ${values.length} values for dims [${dims.join(', ')}]`);
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: littleEndianBytes(values) });
    return name;
  }

  /** Adds an int8 initializer (quantized weights, zero points) and returns its name. */
  int8Initializer(base: string, dims: readonly number[], values: Int8Array): string {
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims: [...dims], dataType: onnx.TensorProto.DataType.INT8, rawData: littleEndianBytes(values) });
    return name;
  }

  /** Adds an int32 initializer (quantized biases) and returns its name. */
  int32Initializer(base: string, dims: readonly number[], values: Int32Array): string {
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims: [...dims], dataType: onnx.TensorProto.DataType.INT32, rawData: littleEndianBytes(values) });
    return name;
  }

  /** Adds a 1-D int64 initializer (shapes, pads, axes) and returns its name. */
  int64Initializer(base: string, values: readonly number[]): string {
    const name = this.uniqueName(base);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: littleEndianBytes(data) });
    return name;
  }

  /** Adds a node with one output and returns the output's name. An empty input name marks an omitted optional input. */
  node(opType: string, inputs: readonly string[], attributes: Record<string, OnnxAttributeValue> = {}, outputBase = opType): string {
    const out = this.uniqueName(outputBase);
    this.nodes.push({
      opType,
      name: this.uniqueName(`${out}_node`),
      input: [...inputs],
      output: [out],
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  /** Serializes the graph as an ONNX ModelProto. */
  encode(meta: { opset: number; producer: string; producerVersion: string; graphName: string; docString?: string }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: irVersionForOpset(meta.opset),
      opsetImport: [{ domain: '', version: meta.opset }],
      producerName: meta.producer,
      producerVersion: meta.producerVersion,
      docString: meta.docString ?? '',
      graph: {
        name: meta.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

/** The IR version released together with an opset (ONNX versioning table). */
export function irVersionForOpset(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}
