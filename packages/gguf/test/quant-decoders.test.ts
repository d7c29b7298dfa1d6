// The block decoders (Q4_0 ... Q8_K, I2_S) held to their reference twins (per-element spec formulas)
// on random blocks, hand-made vectors, the dispatch, and the GGUF reader and writer with the new types.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GgufError, dequantize as dequantizeTensor, formatGgufText, ggmlByteLength, parseGguf, writeGguf, type GgmlTypeName } from "@bitnet-quantize/gguf";
import {
  DECODERS,
  decodeI2_S,
  decodeQ2_K,
  decodeQ3_K,
  decodeQ4_0,
  decodeQ4_1,
  decodeQ4_K,
  decodeQ5_0,
  decodeQ5_1,
  decodeQ5_K,
  decodeQ6_K,
  decodeQ8_K,
  dequantize,
  encodeI2_S,
  hasDecoder,
} from "@bitnet-quantize/gguf/codecs";
import { REFERENCE_TYPES, referenceDequantize, referenceI2S } from "./helpers/ggml-reference.js";

/** Same value, bit for bit (NaN equal to NaN). */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (!(Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)))) return false;
  }
  return true;
}

/** Random blocks whose fp16 fields are finite (most of the time) but otherwise arbitrary bytes. */
const blocksOf = (blockBytes: number): fc.Arbitrary<{ bytes: Uint8Array; blocks: number }> =>
  fc.integer({ min: 1, max: 3 }).chain((blocks) =>
    fc.uint8Array({ minLength: blocks * blockBytes, maxLength: blocks * blockBytes }).map((bytes) => ({ bytes, blocks })),
  );

describe("block decoders equal their reference twins on random bytes", () => {
  for (const [type, { size, bytes: blockBytes }] of Object.entries(REFERENCE_TYPES)) {
    it(`${type} (${size} elements in ${blockBytes} bytes)`, () => {
      fc.assert(
        fc.property(blocksOf(blockBytes), ({ bytes, blocks }) => {
          const fast = dequantize(type, bytes, blocks * size);
          const slow = referenceDequantize(type, bytes, blocks * size);
          expect(sameBits(fast, slow)).toBe(true);
        }),
        { numRuns: 200 },
      );
    });
  }
  it("I2_S", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.float({ noNaN: true }), (blocks, scale) => {
        const bytes = new Uint8Array(blocks * 32 + 32);
        for (let i = 0; i < blocks * 32; i++) bytes[i] = (i * 73 + blocks) & 0xff;
        new DataView(bytes.buffer).setFloat32(blocks * 32, scale, true);
        expect(sameBits(decodeI2_S(bytes, blocks * 128), referenceI2S(bytes, blocks * 128))).toBe(true);
      }),
    );
  });
});

describe("hand-made vectors", () => {
  const f16One = (b: Uint8Array, at: number): void => {
    b[at] = 0x00;
    b[at + 1] = 0x3c;
  };
  it("Q4_0 and Q4_1: nibble order and offset", () => {
    const b = new Uint8Array(18); f16One(b, 0); b[2] = 0x9f;
    expect([decodeQ4_0(b, 32)[0], decodeQ4_0(b, 32)[16], decodeQ4_0(b, 32)[1]]).toEqual([7, 1, -8]);
    const c = new Uint8Array(20); f16One(c, 0); c[3] = 0xbc; c[4] = 0x21;
    expect([decodeQ4_1(c, 32)[0], decodeQ4_1(c, 32)[16], decodeQ4_1(c, 32)[1]]).toEqual([0, 1, -1]);
  });
  it("Q5_0 and Q5_1: the fifth bit of element j is bit j of qh", () => {
    const b = new Uint8Array(22); f16One(b, 0); b[2] = 1; b[5] = 0x80; b[6] = 0x0f;
    const y = decodeQ5_0(b, 32);
    expect([y[0], y[1], y[31], y[16]]).toEqual([15, -16, 0, -16]);
    const c = new Uint8Array(24); f16One(c, 0); c[4] = 1; c[8] = 0x0f;
    expect(decodeQ5_1(c, 32)[0]).toBe(31);
  });
  it("Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_K: the doc examples", () => {
    const q2 = new Uint8Array(84); q2[0] = 0x12; q2[16] = 3; q2[81] = 0x3c; q2[83] = 0x3c;
    expect(decodeQ2_K(q2, 256)[0]).toBe(5);
    const q3 = new Uint8Array(110); q3[0] = 1; q3[32] = 3; q3[96] = 1; q3[104] = 2; q3[109] = 0x3c;
    expect([decodeQ3_K(q3, 256)[0], decodeQ3_K(q3, 256)[1]]).toEqual([3, -4]); // element 1: hmask bit clear, q = 0 - 4
    const q4 = new Uint8Array(144); q4[1] = 0x3c; q4[3] = 0x3c; q4[4] = 2; q4[8] = 1; q4[16] = 0x35;
    expect([decodeQ4_K(q4, 256)[0], decodeQ4_K(q4, 256)[32]]).toEqual([9, 0]);
    const q5 = new Uint8Array(176); q5[1] = 0x3c; q5[4] = 1; q5[16] = 1; q5[48] = 0x03;
    expect(decodeQ5_K(q5, 256)[0]).toBe(19);
    const q6 = new Uint8Array(210); q6[0] = 0x01; q6[128] = 0x02; q6[192] = 0xfe; q6[209] = 0x3c;
    expect(decodeQ6_K(q6, 256)[0]).toBe(-2);
    const q8 = new Uint8Array(292); new DataView(q8.buffer).setFloat32(0, 0.5, true); q8[4] = 0xfe;
    expect(decodeQ8_K(q8, 256)[0]).toBe(-1);
  });
  it("Q4_K: product then subtract in f32, no fused multiply-add", () => {
    // d = 1/3 (fp16 0x3555), scale 63, q = 15: d1 = f32(d*63), then f32(d1*15) - m1.
    const b = new Uint8Array(144); b[0] = 0x55; b[1] = 0x35; b[2] = 0x55; b[3] = 0x35; b[4] = 63; b[8] = 63; b[16] = 0x0f;
    const d = 0.333251953125;
    const expected = Math.fround(Math.fround(Math.fround(d * 63) * 15) - Math.fround(d * 63));
    expect(decodeQ4_K(b, 256)[0]).toBe(expected);
  });
  it("I2_S: bits 7:6 hold elements 0-31, then 32-63, 64-95, 96-127; the scale follows the codes", () => {
    const b = new Uint8Array(64); b[0] = 0b10_01_00_10; new DataView(b.buffer).setFloat32(32, 0.5, true);
    const y = decodeI2_S(b, 128);
    expect([y[0], y[32], y[64], y[96], y[1]]).toEqual([0.5, 0, -0.5, 0.5, -0.5]);
  });
  it("I2_S round trip through encodeI2_S", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(-1, 0, 1), { minLength: 256, maxLength: 256 }), fc.float({ min: Math.fround(0.01), max: 10, noNaN: true }), (t, s) => {
        const x = Float32Array.from(t, (v) => v * s);
        const y = decodeI2_S(encodeI2_S(x), 256);
        const first = t.find((v) => v !== 0);
        const scale = first === undefined ? 1 : Math.fround(Math.abs(x[t.indexOf(first)]));
        expect([...y]).toEqual(t.map((v) => Math.fround(v * scale) + 0));
      }),
    );
  });
});

describe("dequantize dispatch and lengths", () => {
  it("names every decodable type and refuses others", () => {
    expect(Object.keys(DECODERS)).toEqual(["F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "TQ1_0", "TQ2_0", "I2_S"]);
    expect(hasDecoder("IQ2_XXS")).toBe(false);
    expect(() => dequantize("IQ2_XXS", new Uint8Array(66), 256)).toThrow(/no decoder for ggml type "IQ2_XXS"/);
    expect(() => dequantize("Q6_K", new Uint8Array(200), 256)).toThrow(/expected 210 bytes/);
    expect(() => dequantize("Q4_0", new Uint8Array(18), 31)).toThrow(/not a multiple of the block size 32/);
    expect(() => dequantize("I2_S", new Uint8Array(64), 100)).toThrow(/multiple of 128/);
  });

  it("GGUF files with K-quant and I2_S tensors parse, size and dequantize", () => {
    const q6 = new Uint8Array(2 * 210).map((_, i) => (i * 29) & 0xff);
    q6[209] = 0x3c; q6[208] = 0; q6[419] = 0x3c; q6[418] = 0;
    const ternary = Float32Array.from({ length: 512 }, (_, i) => (((i * 7) % 3) - 1) * 0.25);
    const bytes = writeGguf({
      tensors: [
        { name: "token_embd.weight", shape: [2, 256], type: "Q6_K", bytes: q6 },
        { name: "blk.0.attn_q.weight", shape: [2, 256], type: "I2_S", values: ternary },
      ],
    });
    const file = parseGguf(bytes);
    expect(file.tensors.map((t) => [t.type, t.typeId, t.byteLength])).toEqual([
      ["Q6_K", 14, 420],
      ["I2_S", 36, ggmlByteLength("I2_S", 512)],
    ]);
    expect(sameBits(dequantizeTensor(file, bytes, "token_embd.weight"), referenceDequantize("Q6_K", q6, 512))).toBe(true);
    expect([...dequantizeTensor(file, bytes, "blk.0.attn_q.weight")]).toEqual([...ternary]);
  });

  it("an I2_S tensor whose element count is not a multiple of 128 is refused with a GgufError", () => {
    const bytes = writeGguf({ tensors: [{ name: "w", shape: [2, 4], type: "I2_S", bytes: new Uint8Array(2 + 32) }] });
    expect(() => dequantizeTensor(parseGguf(bytes), bytes, "w")).toThrow(GgufError);
  });
});

describe("inspect", () => {
  it("names every type a BitNet file uses", () => {
    const sizes: [GgmlTypeName, number][] = [
      ["Q4_0", 144], ["Q4_1", 160], ["Q5_0", 176], ["Q5_1", 192], ["Q8_0", 272], ["Q2_K", 84], ["Q3_K", 110], ["Q4_K", 144],
      ["Q5_K", 176], ["Q6_K", 210], ["Q8_K", 292], ["TQ1_0", 54], ["TQ2_0", 66], ["I2_S", 96], ["F16", 512], ["BF16", 512], ["F32", 1024],
    ];
    const bytes = writeGguf({ tensors: sizes.map(([type, n], i) => ({ name: `t${i}`, shape: [1, 256], type, bytes: new Uint8Array(n) })) });
    const text = formatGgufText(parseGguf(bytes));
    for (const [type] of sizes) expect(text).toMatch(new RegExp(`\\[1, 256\\]\\s+${type}\\s`));
  });
});
