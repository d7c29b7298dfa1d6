// Codec properties: F16/BF16 give the nearest value (ties to even); TQ1_0/TQ2_0 match packers
// written here straight from the spec's element-to-byte tables, on arbitrary floats; ternary
// data round-trips exactly; canonical blocks re-encode to the same bytes; Q8_0 error is bounded.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bf16BitsToF32,
  decodeBF16,
  decodeF16,
  decodeQ8_0,
  decodeTQ1_0,
  decodeTQ2_0,
  encodeBF16,
  encodeF16,
  encodeQ8_0,
  encodeTQ1_0,
  encodeTQ2_0,
  f16BitsToF32,
  f32ToF16Bits,
} from "@bitnet-quantize/gguf/codecs";
import { firstDifference } from "./helpers/compare.js";

const f32 = (min: number, max: number) => fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true });

/** Values exactly halfway between two adjacent finite halves (normal and subnormal), either sign. */
const f16Ties = fc.tuple(fc.integer({ min: 0, max: 0x7bfe }), fc.boolean()).map(([h, neg]) => {
  const mid = (f16BitsToF32(h) + f16BitsToF32(h + 1)) / 2; // exact in f32: halves have 11 significant bits
  return neg ? -mid : mid;
});

/** Values exactly halfway between two adjacent finite bfloat16 values. */
const bf16Ties = fc.integer({ min: 0, max: 0x7f7e }).map((h) => {
  const u = new Uint32Array([((h << 16) | 0x8000) >>> 0]);
  return new Float32Array(u.buffer)[0];
});

/** lroundf written independently of the package: ties away from zero (exact for |v| < 2^29). */
function lround(v: number): number {
  return Math.sign(v) * Math.floor(Math.abs(v) + 0.5);
}

/** True when `y` is a nearest representable neighbour of `x` given the two candidates around it. */
function isNearestEven(x: number, y: number, below: number, above: number, yIsEven: boolean): boolean {
  const dy = Math.abs(x - y);
  const other = y === below ? above : below;
  const dOther = Math.abs(x - other);
  return dy < dOther || (dy === dOther && yIsEven);
}

describe("F16 and BF16 rounding", () => {
  it("F16 picks the nearest half, ties to the even one", () => {
    fc.assert(
      fc.property(fc.oneof(f32(-65504, 65504), f32(-1e-4, 1e-4), f16Ties), (x) => {
        const h = f32ToF16Bits(x);
        const y = f16BitsToF32(h);
        // The neighbours of y in the direction of x (magnitude one ulp up or down).
        const up = f16BitsToF32(h + 1);
        const down = (h & 0x7fff) === 0 ? -y : f16BitsToF32(h - 1);
        const [below, above] = x >= y === y >= 0 ? [y, up] : [down, y];
        return Object.is(decodeF16(encodeF16(new Float32Array([x])), 1)[0], y) && (x === y || isNearestEven(Math.abs(x), Math.abs(y), Math.abs(below), Math.abs(above), (h & 1) === 0));
      }),
      { seed: 0xc0de1, numRuns: 3000 },
    );
  });

  it("BF16 picks the nearest bfloat16, ties to the even one", () => {
    fc.assert(
      fc.property(fc.oneof(f32(-3e38, 3e38), bf16Ties), (x) => {
        const b = encodeBF16(new Float32Array([x]));
        const h = b[0] | (b[1] << 8);
        const y = decodeBF16(b, 1)[0];
        const [lo, hi] = Math.abs(x) >= Math.abs(y) ? [Math.abs(y), Math.abs(bf16BitsToF32(h + 1))] : [Math.abs(bf16BitsToF32(h - 1)), Math.abs(y)];
        return x === y || isNearestEven(Math.abs(x), Math.abs(y), lo, hi, (h & 1) === 0);
      }),
      { seed: 0xc0de2, numRuns: 3000 },
    );
  });
});

/** The spec's reference quantizer rules for one 256-element block: fp16 d bits and the 256 codes. */
function referenceCodes(x: Float32Array): { dBits: number; codes: number[] } {
  let amax = 0;
  for (const v of x) amax = Math.max(amax, Math.abs(v));
  const id = amax === 0 ? 0 : Math.fround(1 / amax);
  return { dBits: f32ToF16Bits(amax), codes: Array.from(x, (v) => lround(Math.fround(v * id)) + 1) };
}

/** TQ2_0 from the spec's table: element i = 128h + 32n + m lives in byte 32h + m, bits 2n. */
function specTQ2_0(x: Float32Array): Uint8Array {
  const { dBits, codes } = referenceCodes(x);
  const out = new Uint8Array(66);
  codes.forEach((c, i) => {
    const h = Math.floor(i / 128);
    const n = Math.floor((i % 128) / 32);
    const m = i % 32;
    out[32 * h + m] |= c << (2 * n);
  });
  out[64] = dBits & 0xff;
  out[65] = dBits >> 8;
  return out;
}

/** TQ1_0 from the spec's table: which byte and which trit (most significant first) holds element i. */
function specTQ1_0(x: Float32Array): Uint8Array {
  const { dBits, codes } = referenceCodes(x);
  const trits: number[][] = Array.from({ length: 52 }, (_, j) => new Array<number>(j < 48 ? 5 : 4).fill(0));
  codes.forEach((c, i) => {
    if (i < 160) trits[i % 32][Math.floor(i / 32)] = c;
    else if (i < 240) trits[32 + ((i - 160) % 16)][Math.floor((i - 160) / 16)] = c;
    else trits[48 + ((i - 240) % 4)][Math.floor((i - 240) / 4)] = c;
  });
  const out = new Uint8Array(54);
  trits.forEach((t, j) => {
    let v = 0;
    for (const c of t) v = v * 3 + c;
    if (t.length === 4) v *= 3; // the fifth, zero trit in the least significant position
    out[j] = Math.ceil((v * 256) / 243);
  });
  out[52] = dBits & 0xff;
  out[53] = dBits >> 8;
  return out;
}

const block = fc.oneof(
  fc.array(f32(-4, 4), { minLength: 256, maxLength: 256 }),
  // Ties: multiples of amax/2 hit x * (1/d) = +-0.5 exactly.
  fc.tuple(f32(0.001, 100), fc.array(fc.constantFrom(-2, -1, 0, 1, 2), { minLength: 255, maxLength: 255 })).map(([a, k]) => [a, ...k.map((v) => Math.fround((v * a) / 2))]),
).map((v) => Float32Array.from(v));

describe("TQ1_0 and TQ2_0", () => {
  it("encode arbitrary floats exactly as the spec's layout tables say", () => {
    fc.assert(
      fc.property(block, (x) => {
        expect(encodeTQ2_0(x)).toEqual(specTQ2_0(x));
        expect(encodeTQ1_0(x)).toEqual(specTQ1_0(x));
      }),
      { seed: 0xc0de3, numRuns: 1000 },
    );
  });

  it("round-trip ternary data t * s to t * fp16(s) exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), f32(1e-4, 1e4), fc.integer(), (blocks, s, seed) => {
        let state = seed >>> 0;
        const trits = Float32Array.from({ length: 256 * blocks }, (_, i) => {
          state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
          return i % 256 === 0 ? 1 : (state >>> 30) % 3 - 1; // each block has a non-zero
        });
        const x = trits.map((t) => t * s);
        const d = f16BitsToF32(f32ToF16Bits(s));
        const expected = trits.map((t) => t * d);
        expect(firstDifference(decodeTQ2_0(encodeTQ2_0(x), x.length), expected)).toBe(-1);
        expect(firstDifference(decodeTQ1_0(encodeTQ1_0(x), x.length), expected)).toBe(-1);
      }),
      { seed: 0xc0de4, numRuns: 300 },
    );
  });

  it("re-encode decoded canonical blocks to the same bytes", () => {
    const canonical = fc.tuple(fc.integer({ min: 0x0400, max: 0x7bff }), fc.array(fc.constantFrom(0, 1, 2), { minLength: 256, maxLength: 256 })).filter(([, c]) => c.some((x) => x !== 1));
    fc.assert(
      fc.property(canonical, ([dBits, codes]) => {
        const tq2 = new Uint8Array(66);
        codes.forEach((c, i) => (tq2[32 * Math.floor(i / 128) + (i % 32)] |= c << (2 * Math.floor((i % 128) / 32))));
        tq2[64] = dBits & 0xff;
        tq2[65] = dBits >> 8;
        expect(encodeTQ2_0(decodeTQ2_0(tq2, 256))).toEqual(tq2);
        const tq1 = encodeTQ1_0(decodeTQ2_0(tq2, 256));
        expect(decodeTQ1_0(tq1, 256)).toEqual(decodeTQ2_0(tq2, 256));
        expect(encodeTQ1_0(decodeTQ1_0(tq1, 256))).toEqual(tq1);
      }),
      { seed: 0xc0de5, numRuns: 500 },
    );
  });
});

describe("Q8_0", () => {
  it("stays within half a step (plus the fp16 rounding of d) of the input, codes in -127..127", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }).chain((n) => fc.array(f32(-1000, 1000), { minLength: 32 * n, maxLength: 32 * n })), (values) => {
        const x = Float32Array.from(values);
        const bytes = encodeQ8_0(x);
        const y = decodeQ8_0(bytes, x.length);
        const problems: string[] = [];
        for (let b = 0; b < x.length / 32; b++) {
          let amax = 0;
          for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[32 * b + j]));
          const d = Math.fround(amax / 127);
          const d16 = f16BitsToF32(bytes[34 * b] | (bytes[34 * b + 1] << 8));
          const bound = 0.5 * d + 127 * Math.abs(d16 - d) + 1e-6 * amax;
          for (let j = 0; j < 32; j++) {
            const i = 32 * b + j;
            const q = (bytes[34 * b + 2 + j] << 24) >> 24;
            if (Math.abs(q) > 127 || Math.abs(y[i] - x[i]) > bound) problems.push(`element ${i}: x ${x[i]}, q ${q}, y ${y[i]}, bound ${bound}`);
          }
        }
        expect(problems).toEqual([]);
      }),
      { seed: 0xc0de6, numRuns: 1000 },
    );
  });
});
