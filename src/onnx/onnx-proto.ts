import onnxProto from 'onnx-proto';

/**
 * The ONNX protobuf schema (onnx.proto of ONNX 1.10, compiled ahead of time with protobufjs 6 by the
 * `onnx-proto` package). Re-exported from one place so the rest of the code never touches the CommonJS shape.
 *
 * @example
 * const bytes = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8 })).finish();
 */
export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';
