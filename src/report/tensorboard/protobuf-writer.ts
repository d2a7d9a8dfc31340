/**
 * A minimal protocol-buffers writer for the few fields TensorBoard's event files use: varints, doubles,
 * floats and length-delimited fields (strings, bytes, nested messages). Field order follows the calls.
 *
 * @example
 * const bytes = new ProtobufWriter().double(1, 1.5).varint(2, 3).string(3, 'brain.Event:2').finish();
 */
export class ProtobufWriter {
  private readonly chunks: number[] = [];

  private rawVarint(value: number): void {
    // Non-negative safe integers only (steps, lengths, enum values): 7 bits a byte, high bit = more.
    let v = value;
    while (v >= 0x80) {
      this.chunks.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.chunks.push(v);
  }

  private key(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  private bytesOf(write: (view: DataView) => void, size: number): void {
    const view = new DataView(new ArrayBuffer(size));
    write(view);
    for (let i = 0; i < size; i++) this.chunks.push(view.getUint8(i));
  }

  /** A varint field (wire type 0) of a non-negative safe integer. */
  varint(field: number, value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`protobuf varint: ${value} is not a non-negative safe integer`);
    this.key(field, 0);
    this.rawVarint(value);
    return this;
  }

  /** A `double` field (wire type 1, little-endian IEEE 754). */
  double(field: number, value: number): this {
    this.key(field, 1);
    this.bytesOf((v) => v.setFloat64(0, value, true), 8);
    return this;
  }

  /** A `float` field (wire type 5, little-endian IEEE 754 single precision). */
  float(field: number, value: number): this {
    this.key(field, 5);
    this.bytesOf((v) => v.setFloat32(0, value, true), 4);
    return this;
  }

  /** A length-delimited field (wire type 2): bytes or an encoded nested message. */
  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.rawVarint(value.length);
    for (const b of value) this.chunks.push(b);
    return this;
  }

  /** A `string` field: UTF-8, length-delimited. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** The encoded message. */
  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}
