// The writer: byte-exact with the reference writer's layout, sorted, aligned, with clear input errors.
import { describe, expect, it } from "vitest";
import { SafetensorsError, encodeFloats, parseSafetensors, planSafetensors, writeSafetensors } from "@bitnet-quantize/safetensors";

describe("writeSafetensors", () => {
  it("an empty dict is 16 bytes: N = 8, then {} and six spaces (the Rust crate's test)", () => {
    expect([...writeSafetensors({ tensors: {} })]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 32, 32, 32, 32, 32, 32]);
  });

  it("writes the reference writer's bytes for one F32 tensor (safetensors test_serialization)", () => {
    const data = new Float32Array([0, 1, 2, 3, 4, 5]);
    const out = writeSafetensors({ tensors: { "attn.0": { dtype: "F32", shape: [1, 2, 3], data } } });
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    const n = Math.ceil(header.length / 8) * 8;
    expect(new DataView(out.buffer).getBigUint64(0, true)).toBe(BigInt(n));
    expect(new TextDecoder().decode(out.subarray(8, 8 + n))).toBe(header.padEnd(n, " "));
    expect(out.subarray(8 + n)).toEqual(new Uint8Array(data.buffer));
  });

  it("sorts by dtype (widest first) then name, puts __metadata__ first, keeps integer-like names in order", () => {
    const plan = planSafetensors(
      { b: { dtype: "U8", shape: [3] }, "10": { dtype: "F16", shape: [1] }, "2": { dtype: "F16", shape: [1] }, a: { dtype: "F32", shape: [1] }, z: { dtype: "I64", shape: [1] } },
      { format: "pt" },
    );
    expect(plan.tensors.map((t) => [t.name, t.begin])).toEqual([
      ["z", 0],
      ["a", 8],
      ["10", 12],
      ["2", 14],
      ["b", 16],
    ]);
    const text = new TextDecoder().decode(plan.header.subarray(8)).trimEnd();
    expect(text.startsWith('{"__metadata__":{"format":"pt"},"z":')).toBe(true);
    expect(text.indexOf('"10"')).toBeLessThan(text.indexOf('"2"'));
    expect(plan.header.length % 8).toBe(0);
  });

  it("rejects bad input with SafetensorsError naming the tensor", () => {
    expect(() => writeSafetensors({ tensors: { w: { dtype: "F32", shape: [3], data: new Float32Array(2) } } })).toThrow(/"w": F32 \[3\] needs 12 bytes, data has 8/);
    expect(() => writeSafetensors({ tensors: { __metadata__: { dtype: "U8", shape: [0], data: new Uint8Array(0) } } })).toThrow(SafetensorsError);
    expect(() => planSafetensors({ w: { dtype: "F4", shape: [3] } })).toThrow(/not a whole number of bytes/);
    expect(() => planSafetensors({ w: { dtype: "F32", shape: [-1] } })).toThrow(SafetensorsError);
  });

  it("round-trips metadata, shapes and bytes through parseSafetensors", () => {
    const bytes = writeSafetensors({
      tensors: new Map([
        ["x", { dtype: "BF16" as const, shape: [2, 1], data: encodeFloats([1, 2], "BF16") }],
        ["s", { dtype: "F64" as const, shape: [], data: new Float64Array([Math.PI]) }],
      ]),
      metadata: { format: "pt", note: "ü" },
    });
    const file = parseSafetensors(bytes);
    expect(file.metadata).toEqual({ format: "pt", note: "ü" });
    expect(file.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([
      ["s", "F64", []],
      ["x", "BF16", [2, 1]],
    ]);
  });
});
