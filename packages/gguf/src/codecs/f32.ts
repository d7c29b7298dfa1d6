// F32: IEEE binary32 tensor data as little-endian bytes, whatever the host's byte order.
// A copy, never a view, so the result owns its memory and is 4-byte aligned.
import { type BytesLike, toBytes } from "../bytes.js";
import { checkBlocks, checkByteLength } from "./checks.js";

let hostLittleEndian: boolean | undefined;

/** True on little-endian hosts (all common ones), decided on first use. */
function isHostLittleEndian(): boolean {
  if (hostLittleEndian === undefined) hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  return hostLittleEndian;
}

/**
 * Encodes f32 values as little-endian bytes (4 each).
 *
 * @example
 * ```ts
 * encodeF32(new Float32Array([1])); // Uint8Array [0x00, 0x00, 0x80, 0x3f]
 * ```
 */
export function encodeF32(values: Float32Array): Uint8Array {
  if (isHostLittleEndian()) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  return out;
}

/**
 * Decodes `count` little-endian f32 values (`bytes.length` must be `4 * count`).
 *
 * @example
 * ```ts
 * decodeF32(new Uint8Array([0x00, 0x00, 0x80, 0x3f]), 1); // Float32Array [1]
 * ```
 */
export function decodeF32(input: BytesLike, count: number): Float32Array {
  const bytes = toBytes(input, "decodeF32");
  checkByteLength("decodeF32", bytes, checkBlocks("decodeF32", count, 1), 4);
  // new Uint8Array(bytes) copies (a Node Buffer's slice() would be a view into its pool)
  if (isHostLittleEndian()) return new Float32Array(new Uint8Array(bytes).buffer);
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}
