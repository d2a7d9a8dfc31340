import { ProtobufWriter } from './protobuf-writer.js';

/** TensorFlow's `DT_STRING` data type (tensorflow/core/framework/types.proto). */
const DT_STRING = 7;

/** The first record of every event file: `Event { wall_time, file_version: "brain.Event:2" }`. */
export function fileVersionEvent(wallTime: number): Uint8Array {
  return new ProtobufWriter().double(1, wallTime).string(3, 'brain.Event:2').finish();
}

/**
 * An `Event` holding a `Summary` of scalars: `Event { wall_time = 1, step = 2, summary = 5 }`,
 * `Summary { repeated Value value = 1 }`, `Value { tag = 1, simple_value = 2 }`.
 *
 * @example
 * scalarsEvent(1700000000, 90, [['top1/mean', 0.91]]);
 */
export function scalarsEvent(wallTime: number, step: number, scalars: ReadonlyArray<readonly [string, number]>): Uint8Array {
  const summary = new ProtobufWriter();
  for (const [tag, value] of scalars) summary.bytes(1, new ProtobufWriter().string(1, tag).float(2, value).finish());
  return new ProtobufWriter().double(1, wallTime).varint(2, step).bytes(5, summary.finish()).finish();
}

/**
 * An `Event` holding one text summary as TensorBoard's text plugin writes it: `Value { tag = 1, metadata = 9
 * { plugin_data = 1 { plugin_name = 1: "text" } }, tensor = 8 { dtype = 1: DT_STRING, tensor_shape = 2: {},
 * string_val = 8 } }`. The text plugin renders the string as Markdown.
 *
 * @example
 * textEvent(1700000000, 0, 'findings', '## What compression cost');
 */
export function textEvent(wallTime: number, step: number, tag: string, text: string): Uint8Array {
  const pluginData = new ProtobufWriter().string(1, 'text').finish();
  const metadata = new ProtobufWriter().bytes(1, pluginData).finish();
  const tensor = new ProtobufWriter().varint(1, DT_STRING).bytes(2, new Uint8Array(0)).string(8, text).finish();
  const value = new ProtobufWriter().string(1, tag).bytes(8, tensor).bytes(9, metadata).finish();
  const summary = new ProtobufWriter().bytes(1, value).finish();
  return new ProtobufWriter().double(1, wallTime).varint(2, step).bytes(5, summary).finish();
}
