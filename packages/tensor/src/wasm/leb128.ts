// LEB128, the variable-length integer encoding of the WebAssembly binary
// format (spec: binary/values.rst): 7 bits per byte, least significant group
// first, bit 7 set on every byte but the last. Unsigned for counts, sizes,
// indices and memargs; signed (two's complement) for i32.const immediates.
import { ArgumentError } from "../errors.js";

/**
 * Unsigned LEB128 of a u32.
 *
 * @example
 * ```ts
 * unsignedLeb128(624485); // [0xe5, 0x8e, 0x26]
 * ```
 */
export function unsignedLeb128(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new ArgumentError(`unsignedLeb128: ${value} is not a u32`);
  const out: number[] = [];
  let v = value;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/**
 * Signed LEB128 of an i32 (also accepts u32 values above 2^31 - 1, written as
 * their two's complement i32, as `i32.const` wants them).
 *
 * @example
 * ```ts
 * signedLeb128(-123456); // [0xc0, 0xbb, 0x78]
 * signedLeb128(64); // [0xc0, 0x00]: a lone 0x40 would decode as -64
 * ```
 */
export function signedLeb128(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) throw new ArgumentError(`signedLeb128: ${value} is not an i32`);
  let v = value | 0;
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7; // arithmetic shift keeps the sign
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}
