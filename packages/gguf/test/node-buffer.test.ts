// Node Buffers are Uint8Arrays whose slice() is a view into a shared pool:
// decoding and byte swapping must copy, never alias or mutate the input.
import { describe, expect, it } from "vitest";
import { decodeF32, encodeF32 } from "@bitnet-quantize/gguf/codecs";
import { swapTensorBytes } from "@bitnet-quantize/gguf";

describe("Node Buffer inputs", () => {
  it("decodeF32 reads the bytes of a Buffer that sits inside a larger pool", () => {
    const values = new Float32Array([1.5, -2, 3.25]);
    const pool = Buffer.alloc(64, 0xee);
    const enc = encodeF32(values);
    pool.set(enc, 7); // unaligned offset inside the pool
    const view = pool.subarray(7, 7 + enc.length);
    expect(Array.from(decodeF32(view, 3))).toEqual([1.5, -2, 3.25]);
  });

  it("swapTensorBytes leaves a Buffer input unchanged", () => {
    const buf = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const before = Array.from(buf);
    const out = swapTensorBytes("F32", buf);
    expect(Array.from(buf)).toEqual(before);
    expect(Array.from(out)).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
  });
});
