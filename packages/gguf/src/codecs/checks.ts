// Length checks shared by the codecs: element counts in whole blocks, exact byte lengths.
// Each codec names itself in the message so the caller sees which codec refused.

import { GgufError } from "../errors.js";

/**
 * Throws a `GgufError` unless `count` is a non-negative safe integer multiple of `blockSize`.
 *
 * @example
 * ```ts
 * checkBlocks("encodeTQ2_0", 512, 256); // 2 (blocks)
 * checkBlocks("encodeTQ2_0", 100, 256); // throws "encodeTQ2_0: 100 values is not a multiple of the block size 256"
 * ```
 */
export function checkBlocks(codec: string, count: number, blockSize: number): number {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new GgufError(`${codec}: element count must be a non-negative integer, got ${count}`);
  }
  if (count % blockSize !== 0) {
    throw new GgufError(`${codec}: ${count} values is not a multiple of the block size ${blockSize}`);
  }
  return count / blockSize;
}

/**
 * Throws a `GgufError` unless `bytes` holds exactly `blocks * typeSize` bytes.
 *
 * @example
 * ```ts
 * checkByteLength("decodeQ8_0", new Uint8Array(34), 1, 34); // ok
 * checkByteLength("decodeQ8_0", new Uint8Array(30), 1, 34); // throws "decodeQ8_0: expected 34 bytes for 1 blocks, got 30"
 * ```
 */
export function checkByteLength(codec: string, bytes: Uint8Array, blocks: number, typeSize: number): void {
  const expected = blocks * typeSize;
  if (bytes.length !== expected) {
    throw new GgufError(`${codec}: expected ${expected} bytes for ${blocks} blocks of ${typeSize} bytes, got ${bytes.length}`);
  }
}

/**
 * Throws a `GgufError` naming the first element of `values` that is NaN or infinite.
 * Quantizers need finite input: ggml's behaviour on NaN is undefined.
 *
 * @example
 * ```ts
 * checkFinite("encodeQ8_0", new Float32Array([1, NaN])); // throws "encodeQ8_0: element 1 is NaN; ..."
 * ```
 */
export function checkFinite(codec: string, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) {
      throw new GgufError(`${codec}: element ${i} is ${v}; quantized formats need finite values`);
    }
  }
}
