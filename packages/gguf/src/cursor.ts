// A bounds-checked reading position over the first bytes of a GGUF file (the whole file or a prefix).
// It knows the file's true size, so it can tell "truncated file" from "read more of the file".
import { GgufError } from "./errors.js";

/**
 * Thrown (internally) when a read falls inside the file but beyond the bytes loaded
 * so far; the streaming reader catches it, loads at least `needed` bytes and retries.
 * It never escapes the public API: with a whole file loaded it cannot happen.
 */
export class NeedMoreBytes extends Error {
  constructor(readonly needed: number) {
    super(`need the first ${needed} bytes of the file`);
    this.name = "NeedMoreBytes";
  }
}

/**
 * Reads little- or big-endian values from `view` (the first `view.byteLength`
 * bytes of a file of `fileSize` bytes), checking every read against both.
 */
export class ByteCursor {
  pos = 0;
  littleEndian = true;
  private readonly bytes: Uint8Array;

  constructor(
    private readonly view: DataView,
    readonly fileSize: number,
  ) {
    this.bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  }

  /** Bytes left in the file after the current position. */
  get remaining(): number {
    return this.fileSize - this.pos;
  }

  /** Checks that `n` bytes for `what` exist at the current position and are loaded. */
  need(n: number, what: string): void {
    if (n > this.fileSize - this.pos) {
      throw new GgufError(`${what}: needs ${n} bytes, but the file has ${this.fileSize} bytes (${Math.max(0, this.remaining)} remain)`, this.pos);
    }
    if (this.pos + n > this.view.byteLength) throw new NeedMoreBytes(this.pos + n);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  u64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, this.littleEndian);
    this.pos += 8;
    return v;
  }

  i64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos, this.littleEndian);
    this.pos += 8;
    return v;
  }

  /** A view (not a copy) of the next `n` bytes. */
  bytesView(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** The DataView for bulk element reads after a successful {@link need}. */
  get data(): DataView {
    return this.view;
  }
}
