// Every byte-taking entry point accepts Uint8Array, Node Buffer, ArrayBuffer,
// SharedArrayBuffer and other ArrayBufferViews alike, and rejects anything
// else with a GgufError naming the function and what it got.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GgufError, dequantize, parseGguf, str, swapTensorBytes, tensorData, toBytes, writeGguf } from "@bitnet-quantize/gguf";
import {
  dequantize as dequantizeType, decodeBF16, decodeF16, decodeF32, decodeI2_S, decodeQ2_K, decodeQ3_K, decodeQ4_0, decodeQ4_1, decodeQ4_K,
  decodeQ5_0, decodeQ5_1, decodeQ5_K, decodeQ6_K, decodeQ8_0, decodeQ8_K, decodeTQ1_0, decodeTQ2_0, encodeF32,
} from "@bitnet-quantize/gguf/codecs";

const bytes = writeGguf({
  metadata: { "general.architecture": str("bitnet") },
  tensors: [{ name: "w", shape: [3], type: "F32", values: new Float32Array([1, -2, 0.5]) }],
});

/** The same bytes in each form a caller may hold them. */
function forms(b: Uint8Array): [string, unknown][] {
  const pool = Buffer.alloc(b.length + 13, 0xee);
  pool.set(b, 5);
  const shared = new SharedArrayBuffer(b.length);
  new Uint8Array(shared).set(b);
  return [
    ["Uint8Array", b],
    ["ArrayBuffer", b.slice().buffer],
    ["Buffer (inside a pool)", pool.subarray(5, 5 + b.length)],
    ["SharedArrayBuffer", shared],
    ["DataView", new DataView(b.slice().buffer)],
  ];
}

const notBytes: [string, unknown][] = [
  ["string", "GGUF"],
  ["number", 3],
  ["null", null],
  ["plain array", [71, 71, 85, 70]],
  ["plain object", { byteLength: 4 }],
];

describe("byte inputs", () => {
  it("parseGguf, tensorData and dequantize read every form alike", () => {
    for (const [form, input] of forms(bytes)) {
      const file = parseGguf(input as Uint8Array);
      expect(file.metadata.get("general.architecture"), form).toEqual({ type: "string", value: "bitnet" });
      expect(Array.from(dequantize(file, input as ArrayBuffer, "w")), form).toEqual([1, -2, 0.5]);
      expect(tensorData(file, input as ArrayBuffer, "w").length, form).toBe(12);
    }
  });

  it("the codecs and swapTensorBytes read every form alike", () => {
    const enc = encodeF32(new Float32Array([1.5, -2]));
    for (const [form, input] of forms(enc)) {
      expect(Array.from(decodeF32(input as ArrayBuffer, 2)), form).toEqual([1.5, -2]);
      expect(Array.from(dequantizeType("F32", input as ArrayBuffer, 2)), form).toEqual([1.5, -2]);
      expect(Array.from(swapTensorBytes("F32", input as ArrayBuffer)).length, form).toBe(8);
    }
  });

  it("rejects what is not bytes with a GgufError naming the function and the input's kind", () => {
    const fns: [string, (x: unknown) => unknown][] = [
      ["parseGguf", (x) => parseGguf(x as Uint8Array)],
      ["dequantize", (x) => dequantize(parseGguf(bytes), x as Uint8Array, "w")],
      ["tensorData", (x) => tensorData(parseGguf(bytes), x as Uint8Array, "w")],
      ["swapTensorBytes", (x) => swapTensorBytes("F32", x as Uint8Array)],
      ["decodeF32", (x) => decodeF32(x as Uint8Array, 0)],
      ["decodeF16", (x) => decodeF16(x as Uint8Array, 0)],
      ["decodeBF16", (x) => decodeBF16(x as Uint8Array, 0)],
      ["decodeQ8_0", (x) => decodeQ8_0(x as Uint8Array, 0)],
      ["decodeTQ1_0", (x) => decodeTQ1_0(x as Uint8Array, 0)],
      ["decodeTQ2_0", (x) => decodeTQ2_0(x as Uint8Array, 0)],
      ["decodeQ4_0", (x) => decodeQ4_0(x as Uint8Array, 0)],
      ["decodeQ4_1", (x) => decodeQ4_1(x as Uint8Array, 0)],
      ["decodeQ5_0", (x) => decodeQ5_0(x as Uint8Array, 0)],
      ["decodeQ5_1", (x) => decodeQ5_1(x as Uint8Array, 0)],
      ["decodeQ2_K", (x) => decodeQ2_K(x as Uint8Array, 0)],
      ["decodeQ3_K", (x) => decodeQ3_K(x as Uint8Array, 0)],
      ["decodeQ4_K", (x) => decodeQ4_K(x as Uint8Array, 0)],
      ["decodeQ5_K", (x) => decodeQ5_K(x as Uint8Array, 0)],
      ["decodeQ6_K", (x) => decodeQ6_K(x as Uint8Array, 0)],
      ["decodeQ8_K", (x) => decodeQ8_K(x as Uint8Array, 0)],
      ["decodeI2_S", (x) => decodeI2_S(x as Uint8Array, 0)],
      ["dequantize", (x) => dequantizeType("Q4_K", x as Uint8Array, 0)],
    ];
    for (const [name, fn] of fns) {
      for (const [kind, x] of notBytes) {
        let caught: unknown;
        try {
          fn(x);
        } catch (e) {
          caught = e;
        }
        expect(caught, `${name}(${kind})`).toBeInstanceOf(GgufError);
        expect((caught as Error).message, `${name}(${kind})`).toMatch(new RegExp(`${name}: expected bytes .*got `));
      }
    }
  });

  it("toBytes is a view over the same memory, never a copy, with the view's offset and length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), fc.nat(16), fc.nat(16), (data, before, after) => {
        const buf = new ArrayBuffer(before + data.length + after);
        const view = new Uint8Array(buf, before, data.length);
        view.set(data);
        const out = toBytes(new DataView(buf, before, data.length), "t");
        expect(out.buffer).toBe(buf);
        expect(out.byteOffset).toBe(before);
        expect(Array.from(out)).toEqual(Array.from(data));
        expect(toBytes(view, "t")).toBe(view);
        expect(Object.getPrototypeOf(toBytes(Buffer.from(data), "t"))).toBe(Uint8Array.prototype);
      }),
      { seed: 15, numRuns: 100 },
    );
  });
});
