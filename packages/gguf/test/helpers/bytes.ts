// A byte-by-byte builder for hand-made GGUF buffers in tests (little- or big-endian).
// Deliberately independent of the package's writer: every field is spelled out by the test.

export class Bytes {
  private readonly out: number[] = [];
  constructor(readonly littleEndian = true) {}

  get length(): number {
    return this.out.length;
  }

  raw(...bytes: number[]): this {
    for (const b of bytes) this.out.push(b & 0xff);
    return this;
  }

  private int(value: bigint, width: number): this {
    const bytes: number[] = [];
    let v = BigInt.asUintN(width * 8, value);
    for (let i = 0; i < width; i++) {
      bytes.push(Number(v & 0xffn));
      v >>= 8n;
    }
    if (!this.littleEndian) bytes.reverse();
    return this.raw(...bytes);
  }

  u8(v: number): this {
    return this.raw(v);
  }
  u16(v: number): this {
    return this.int(BigInt(v), 2);
  }
  u32(v: number): this {
    return this.int(BigInt(v), 4);
  }
  i32(v: number): this {
    return this.int(BigInt(v), 4);
  }
  u64(v: number | bigint): this {
    return this.int(BigInt(v), 8);
  }
  i64(v: number | bigint): this {
    return this.int(BigInt(v), 8);
  }
  f32(v: number): this {
    const dv = new DataView(new ArrayBuffer(4));
    dv.setFloat32(0, v, this.littleEndian);
    return this.raw(...new Uint8Array(dv.buffer));
  }

  /** u64 byte length, then the UTF-8 bytes. */
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u64(b.length).raw(...b);
  }

  /** "GGUF", version, tensor count, kv count. */
  header(version: number, tensors: number | bigint, kvs: number | bigint): this {
    return this.raw(0x47, 0x47, 0x55, 0x46).u32(version).i64(tensors).i64(kvs);
  }

  /** Tensor info: name, n_dims, ne..., type, offset. */
  tensor(name: string, ne: readonly (number | bigint)[], type: number, offset: number | bigint): this {
    this.str(name).u32(ne.length);
    for (const n of ne) this.i64(n);
    return this.u32(type).u64(offset);
  }

  /** Zero bytes up to a multiple of `alignment`. */
  pad(alignment: number): this {
    while (this.out.length % alignment !== 0) this.out.push(0);
    return this;
  }

  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.out.push(0);
    return this;
  }

  build(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}
