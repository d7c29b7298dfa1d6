// A growable little- or big-endian byte buffer for writing GGUF headers.
// Only appends; it knows nothing about GGUF's structure (that is ./writer.ts).

/**
 * Appends fixed-width values and byte runs to a buffer that doubles as it fills.
 * Each method calls reserve() before touching this.view/this.buf: reserve may replace them.
 */
export class ByteSink {
  private buf = new Uint8Array(4096);
  private view = new DataView(this.buf.buffer);
  length = 0;

  constructor(private readonly littleEndian: boolean) {}

  private reserve(n: number): number {
    const at = this.length;
    if (at + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < at + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.length = at + n;
    return at;
  }

  u8(v: number): void {
    const at = this.reserve(1);
    this.view.setUint8(at, v);
  }
  i8(v: number): void {
    const at = this.reserve(1);
    this.view.setInt8(at, v);
  }
  u16(v: number): void {
    const at = this.reserve(2);
    this.view.setUint16(at, v, this.littleEndian);
  }
  i16(v: number): void {
    const at = this.reserve(2);
    this.view.setInt16(at, v, this.littleEndian);
  }
  u32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v, this.littleEndian);
  }
  i32(v: number): void {
    const at = this.reserve(4);
    this.view.setInt32(at, v, this.littleEndian);
  }
  f32(v: number): void {
    const at = this.reserve(4);
    this.view.setFloat32(at, v, this.littleEndian);
  }
  f64(v: number): void {
    const at = this.reserve(8);
    this.view.setFloat64(at, v, this.littleEndian);
  }
  u64(v: bigint): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, v, this.littleEndian);
  }
  i64(v: bigint): void {
    const at = this.reserve(8);
    this.view.setBigInt64(at, v, this.littleEndian);
  }
  bytes(b: Uint8Array): void {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
  }

  /** The bytes written so far (a view). */
  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
