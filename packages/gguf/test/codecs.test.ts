// Codec vectors: the spec's known bytes, edge cases reasoned from the layouts, and error messages.
import { describe, expect, it } from "vitest";
import {
  bf16BitsToF32,
  decodeBF16,
  decodeF16,
  decodeF32,
  decodeQ8_0,
  decodeTQ1_0,
  decodeTQ2_0,
  encodeBF16,
  encodeF16,
  encodeF32,
  encodeQ8_0,
  encodeTQ1_0,
  encodeTQ2_0,
  f16BitsToF32,
  f32ToF16Bits,
  packTrits,
  roundHalfAwayFromZero,
  unpackTrit,
} from "@bitnet-quantize/gguf/codecs";

const u16le = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8);

describe("roundHalfAwayFromZero", () => {
  it("rounds ties away from zero, unlike Math.round", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, -0.49999997, 3.2, -3.7].map(roundHalfAwayFromZero)).toEqual([
      1, 2, 3, -1, -2, -3, 0, -0, 3, -4,
    ]);
  });
});

describe("F16", () => {
  it("encodes known values", () => {
    const cases: [number, number][] = [
      [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.5, 0x3800], [65504, 0x7bff],
      [2 ** -14, 0x0400], [2 ** -24, 0x0001], [2 ** -24 * 1023, 0x03ff], [Infinity, 0x7c00], [-Infinity, 0xfc00],
      [1 / 3, 0x3555], [0.1, 0x2e66],
    ];
    for (const [x, h] of cases) expect([x, f32ToF16Bits(x)]).toEqual([x, h]);
  });

  it("rounds ties to even, in normals and subnormals", () => {
    // 1 + 2^-11 is halfway between 1 (0x3c00, even) and 1 + 2^-10 (0x3c01).
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00);
    // 1 + 3 * 2^-11 is halfway between 0x3c01 (odd) and 0x3c02 (even).
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    // Just above a tie goes up.
    expect(f32ToF16Bits(Math.fround(1 + 2 ** -11 + 2 ** -20))).toBe(0x3c01);
    // Subnormal ties: 2^-25 is halfway between 0 and 2^-24 -> 0; 3 * 2^-25 between 1 and 2 ulps -> 2.
    expect(f32ToF16Bits(2 ** -25)).toBe(0x0000);
    expect(f32ToF16Bits(3 * 2 ** -25)).toBe(0x0002);
    expect(f32ToF16Bits(-(2 ** -25) * 1.0001)).toBe(0x8001);
    // The largest subnormal rounds up into the smallest normal.
    expect(f32ToF16Bits(2 ** -14 - 2 ** -25)).toBe(0x0400);
    expect(f32ToF16Bits(2 ** -26)).toBe(0x0000);
  });

  it("overflows to Infinity at 65520 and keeps NaN a quiet NaN", () => {
    expect(f32ToF16Bits(65519)).toBe(0x7bff);
    expect(f32ToF16Bits(65520)).toBe(0x7c00);
    expect(f32ToF16Bits(-1e10)).toBe(0xfc00);
    expect(f32ToF16Bits(NaN) & 0x7fff).toBe(0x7e00);
  });

  it("round-trips all 65536 bit patterns (NaNs to a NaN)", () => {
    const bits = new Uint8Array(65536 * 2);
    for (let h = 0; h < 65536; h++) {
      bits[2 * h] = h & 0xff;
      bits[2 * h + 1] = h >> 8;
    }
    const values = decodeF16(bits, 65536);
    const again = encodeF16(values);
    let mismatches = 0;
    for (let h = 0; h < 65536; h++) {
      const isNaN = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      if (isNaN ? !Number.isNaN(values[h]) || (u16le(again, 2 * h) & 0x7fff) !== 0x7e00 : u16le(again, 2 * h) !== h) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(f16BitsToF32(0x0001)).toBe(2 ** -24);
    expect(f16BitsToF32(0x7bff)).toBe(65504);
  });

  it("refuses a byte length that does not match the count", () => {
    expect(() => decodeF16(new Uint8Array(3), 2)).toThrow("decodeF16: expected 4 bytes for 2 blocks of 2 bytes, got 3");
  });
});

describe("BF16", () => {
  it("rounds to nearest even and decodes", () => {
    const f = new Float32Array(new Uint32Array([0x3f808000, 0x3f818000, 0x3f808001, 0x7f7fffff, 0xffc00001]).buffer);
    const b = encodeBF16(f);
    expect([0, 2, 4, 6].map((i) => u16le(b, i))).toEqual([0x3f80, 0x3f82, 0x3f81, 0x7f80]);
    expect(u16le(b, 8) & 0xffc0).toBe(0xffc0); // NaN stays a NaN
    expect(Array.from(decodeBF16(new Uint8Array([0x80, 0x3f, 0x00, 0xc0]), 2))).toEqual([1, -2]);
    expect(bf16BitsToF32(0x7f80)).toBe(Infinity);
  });
});

describe("F32", () => {
  it("is little-endian binary32", () => {
    expect(Array.from(encodeF32(new Float32Array([1, -2])))).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
    expect(Array.from(decodeF32(new Uint8Array([0, 0, 0x80, 0x3f]), 1))).toEqual([1]);
  });
});

describe("Q8_0", () => {
  it("quantizes a block by the reference rules", () => {
    const x = new Float32Array(32);
    x[0] = 127; // amax -> d = 1
    x[1] = -63.5; // tie: away from zero -> -64
    x[2] = 0.5; // tie -> 1
    x[3] = 2.4999;
    const b = encodeQ8_0(x);
    expect(b.length).toBe(34);
    expect(u16le(b, 0)).toBe(0x3c00);
    expect([b[2], b[3], b[4], b[5], b[6]]).toEqual([127, 0xc0, 1, 2, 0]);
    expect(Array.from(decodeQ8_0(b, 32).subarray(0, 5))).toEqual([127, -64, 1, 2, 0]);
  });

  it("takes 1/d from the f32 d (not the fp16 d) and rounds the tie away from zero", () => {
    // amax = 100: d = 100/127 in f32 = 0.78740156, fp16(d) = 0.78759766. With x = 2.5 * d(f32),
    // x * (1/d(f32)) is exactly 2.5 -> 3 (half away). Dividing by the fp16 d gives 2.4994 -> 2,
    // and round-half-even would give 2: either mistake changes the byte.
    const x = new Float32Array(32);
    x[0] = 100;
    x[1] = Math.fround(2.5 * Math.fround(100 / 127));
    const b = encodeQ8_0(x);
    expect(u16le(b, 0)).toBe(f32ToF16Bits(Math.fround(100 / 127)));
    expect(f16BitsToF32(u16le(b, 0))).toBe(0.78759765625);
    expect(b[2]).toBe(127);
    expect(b[3]).toBe(3);
    expect(roundHalfAwayFromZero(Math.fround(x[1] / 0.78759765625))).toBe(2);
  });

  it("gives d = 0 and zero codes for an all-zero block", () => {
    expect(Array.from(encodeQ8_0(new Float32Array(32)))).toEqual(new Array(34).fill(0));
  });

  it("names the problem for bad lengths and non-finite input", () => {
    expect(() => encodeQ8_0(new Float32Array(33))).toThrow("encodeQ8_0: 33 values is not a multiple of the block size 32");
    expect(() => decodeQ8_0(new Uint8Array(34), 31)).toThrow("decodeQ8_0: 31 values is not a multiple of the block size 32");
    expect(() => decodeQ8_0(new Uint8Array(33), 32)).toThrow("decodeQ8_0: expected 34 bytes");
    const bad = new Float32Array(32);
    bad[5] = NaN;
    expect(() => encodeQ8_0(bad)).toThrow("encodeQ8_0: element 5 is NaN");
  });
});

describe("TQ2_0", () => {
  it("packs (x0, x32, x64, x96) = (1, 0, -1, 1) into qs[0] = 0x86 (spec vector)", () => {
    const x = new Float32Array(256);
    [x[0], x[32], x[64], x[96]] = [1, 0, -1, 1];
    const b = encodeTQ2_0(x);
    expect(b.length).toBe(66);
    expect(b[0]).toBe(0x86);
    expect(u16le(b, 64)).toBe(0x3c00); // d = max|x| = 1
    expect(b[1]).toBe(0x55); // elements 1, 33, 65, 97 are 0 -> code 1 in every pair
  });

  it("puts element 128h + 32n + m in byte 32h + m, bits 2n", () => {
    // Element 128 + 32*3 + 5 = 229 -> byte 37, bits 6..7.
    const x = new Float32Array(256);
    x[229] = -2; // amax 2, code 0
    x[0] = 1; // 0.5 after scaling: ties away from zero -> code 2
    x[1] = -1; // -0.5 -> code 0
    const b = encodeTQ2_0(x);
    expect(b[37]).toBe(0x15); // codes (1, 1, 1, 0)
    expect(b[0]).toBe(0x56); // codes (2, 1, 1, 1)
    expect(b[1]).toBe(0x54); // codes (0, 1, 1, 1)
    expect(u16le(b, 64)).toBe(0x4000); // d = 2
    const y = decodeTQ2_0(b, 256);
    expect([y[229], y[0], y[1], y[2]]).toEqual([-2, 2, -2, 0]);
  });

  it("gives d = 0 and codes 1 for an all-zero block; decodes code 3 to 2d", () => {
    const b = encodeTQ2_0(new Float32Array(512));
    expect(Array.from(b.subarray(0, 64))).toEqual(new Array(64).fill(0x55));
    expect(u16le(b, 64)).toBe(0);
    const c = new Uint8Array(66);
    c[0] = 0x03;
    c[65] = 0x3c;
    expect(decodeTQ2_0(c, 256)[0]).toBe(2);
  });

  it("names the problem for bad lengths", () => {
    expect(() => encodeTQ2_0(new Float32Array(100))).toThrow("encodeTQ2_0: 100 values is not a multiple of the block size 256");
    expect(() => decodeTQ2_0(new Uint8Array(65), 256)).toThrow("decodeTQ2_0: expected 66 bytes for 1 blocks of 66 bytes, got 65");
  });
});

describe("TQ1_0", () => {
  it("packs trits (1, 0, -1, 1, 0) into 207 (spec vector)", () => {
    expect(packTrits([2, 1, 0, 2, 1])).toBe(207);
    const x = new Float32Array(256);
    [x[0], x[32], x[64], x[96], x[128]] = [1, 0, -1, 1, 0];
    const b = encodeTQ1_0(x);
    expect(b.length).toBe(54);
    expect(b[0]).toBe(207);
    expect(u16le(b, 52)).toBe(0x3c00);
  });

  it("decodes every one of the 243 five-trit bytes", () => {
    let wrong = 0;
    for (let v = 0; v < 243; v++) {
      const digits = [Math.floor(v / 81) % 3, Math.floor(v / 27) % 3, Math.floor(v / 9) % 3, Math.floor(v / 3) % 3, v % 3];
      const byte = packTrits(digits);
      for (let n = 0; n < 5; n++) if (unpackTrit(byte, n) !== digits[n]) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it("places elements 160.. in qs[32..48] (stride 16) and 240.. in qh (stride 4, fifth trit 0)", () => {
    const x = new Float32Array(256);
    x[160 + 3 + 16 * 2] = 1; // qs[35], trit 2
    x[240 + 1 + 4 * 3] = -1; // qh[1], trit 3
    const b = encodeTQ1_0(x);
    expect(b[35]).toBe(packTrits([1, 1, 2, 1, 1]));
    expect(b[49]).toBe(packTrits([1, 1, 1, 0]));
    expect(b[48]).toBe(packTrits([1, 1, 1, 1])); // 120 * 256 / 243 rounded up = 127
    expect(b[48]).toBe(127);
    const y = decodeTQ1_0(b, 256);
    expect([y[195], y[253], y[160], y[240]]).toEqual([1, -1, 0, 0]);
  });

  it("gives d = 0 and codes 1 for an all-zero block", () => {
    const b = encodeTQ1_0(new Float32Array(256));
    expect(Array.from(b.subarray(0, 48))).toEqual(new Array(48).fill(128)); // ceil(121 * 256 / 243)
    expect(Array.from(b.subarray(48, 52))).toEqual([127, 127, 127, 127]);
    expect(u16le(b, 52)).toBe(0);
  });

  it("names the problem for bad lengths and non-finite input", () => {
    expect(() => encodeTQ1_0(new Float32Array(257))).toThrow("encodeTQ1_0: 257 values is not a multiple of the block size 256");
    expect(() => decodeTQ1_0(new Uint8Array(54), 512)).toThrow("decodeTQ1_0: expected 108 bytes");
    const bad = new Float32Array(256);
    bad[9] = -Infinity;
    expect(() => encodeTQ1_0(bad)).toThrow("encodeTQ1_0: element 9 is -Infinity");
  });
});
