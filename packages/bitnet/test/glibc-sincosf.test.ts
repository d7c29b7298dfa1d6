// glibc's sinf/cosf port (glibc-sincosf.ts) and ropeTablesGgml: the fast
// functions against their reference twins on random inputs, known values
// from glibc, and every entry of RoPE's tables against glibc's.
//
// Known values and fixtures/glibc-rope-tables.json: obtained on Debian 12
// (glibc 2.36-9+deb12u14, x86-64 with FMA and AVX2, so libm's ifunc picks
// __sinf_fma / __cosf_fma) by small C programs compiled with `gcc -O2 … -lm`:
// one printing the float32 bits of sinf(y) and cosf(y) for the inputs below,
// one writing ggml_rope_cache_init's tables as llama.cpp b4747 builds them
// (freq_scale 1, ext_factor 0, mscale 1: theta_scale = powf(base, -2.0f/D),
// theta = p, then cosf(theta), sinf(theta) and theta *= theta_scale per
// pair) for positions 0..8191, D = 96 and 64, base 10000. The fixture keeps
// the sha256 of each whole table and the entries where glibc differs from
// the correctly rounded value (see its "about"). Checks of further float32
// inputs against that libm, not repeated here, found no difference: 10^6
// random ones (bit patterns, uniform in [0, 130) and in [0, 8192)) and
// every 31st float32 in ±[2^-12, 8192] (1.35·10^7, each sinf and cosf).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cosfGlibc, cosfGlibcReference, ropeTables, ropeTablesGgml, sinfGlibc, sinfGlibcReference } from "@bitnet-quantize/bitnet";

const f32 = Math.fround;
const fromBits = (u: number): number => new Float32Array(new Uint32Array([u]).buffer)[0];
const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe("sinfGlibc / cosfGlibc: glibc 2.36's sinf and cosf (x86-64, FMA)", () => {
  it("equal their BigInt reference twins on random float32 values", () => {
    const float32 = fc.oneof(
      fc.float({ noNaN: true }),
      fc.float({ min: -130, max: 130, noNaN: true }),
      fc.float({ min: 0, max: 8192, noNaN: true }),
      fc.float({ min: Math.fround(-1), max: Math.fround(1), noNaN: true }),
    );
    fc.assert(fc.property(float32, (y) => same(sinfGlibc(y), sinfGlibcReference(y)) && same(cosfGlibc(y), cosfGlibcReference(y))), { numRuns: 3000 });
  });

  // [input, sinf, cosf] as float32 bits, from glibc: zeros, subnormals, the 2^-12 cut, π/4 (and 0.75, the first
  // float whose top 12 bits reach π/4's and so is reduced), π/2, π, the 120 cut, 10^5, 8191, FLT_MAX, ±∞, NaN
  const known: [number, number, number][] = [
    [0x00000000, 0x00000000, 0x3f800000], // 0
    [0x80000000, 0x80000000, 0x3f800000], // -0
    [0x00000001, 0x00000001, 0x3f800000], // 2^-149
    [0x80800000, 0x80800000, 0x3f800000], // -2^-126
    [0x39000000, 0x39000000, 0x3f800000], // 2^-13
    [0x397fffff, 0x397fffff, 0x3f800000], // just below 2^-12
    [0x39800000, 0x39800000, 0x3f800000], // 2^-12
    [0xb9800001, 0xb9800001, 0x3f7fffff], // just above -2^-12
    [0x3f3fffff, 0x3f2e7fe0, 0x3f3b4ff7], // 0.74999994
    [0x3f400000, 0x3f2e7fe1, 0x3f3b4ff6], // 0.75
    [0x3f490fda, 0x3f3504f3, 0x3f3504f4], // below π/4
    [0x3f490fdb, 0x3f3504f3, 0x3f3504f3], // π/4
    [0xbf490fdc, 0xbf3504f4, 0x3f3504f2], // below −π/4
    [0x3fc90fdb, 0x3f800000, 0xb33bbd2e], // π/2
    [0x40490fdb, 0xb3bbbd2e, 0xbf800000], // π
    [0x42efffff, 0x3f14a287, 0x3f506e74], // 119.99999
    [0x42f00000, 0x3f14a2ef, 0x3f506e2a], // 120
    [0xc2f00001, 0xbf14a357, 0x3f506de0], // -120.00001
    [0x47c35000, 0x3d126d55, 0xbf7fd61c], // 1e5
    [0xc7c35000, 0xbd126d55, 0xbf7fd61c], // -1e5
    [0x45fff800, 0xbf43546a, 0xbf2579d9], // 8191
    [0x7f7fffff, 0xbf0599b3, 0x3f5a5f96], // FLT_MAX
    [0xff7fffff, 0x3f0599b3, 0x3f5a5f96], // -FLT_MAX
    [0x3f800000, 0x3f576aa4, 0x3f0a5140], // 1
  ];

  it("give glibc's values for special and large arguments", () => {
    for (const [y, s, c] of known) {
      expect([y, sinfGlibc(fromBits(y))]).toEqual([y, fromBits(s)]);
      expect([y, cosfGlibc(fromBits(y))]).toEqual([y, fromBits(c)]);
      expect(Object.is(sinfGlibcReference(fromBits(y)), fromBits(s))).toBe(true);
      expect(Object.is(cosfGlibcReference(fromBits(y)), fromBits(c))).toBe(true);
    }
    expect(Object.is(sinfGlibc(-0), -0)).toBe(true);
    for (const y of [Infinity, -Infinity, NaN]) {
      expect(sinfGlibc(y)).toBeNaN();
      expect(cosfGlibc(y)).toBeNaN();
    }
  });

  it("give glibc's value where only FMA-fused evaluation does (x − n·π/2 and the polynomial unfused would give the neighbour)", () => {
    // [input, sinf, cosf] from glibc; found by scanning every float32 in [2^-12, 120) with a C re-statement of the
    // algorithm evaluated with and without fma(): these are inputs where the two differ (near multiples of π/2)
    const fmaSensitive: [number, number, number][] = [
      [0x418a3adb, 0xbf800000, 0xb7b4f770], // 17.278738
      [0x41bc76d9, 0xbf7fff80, 0xbb803f6b], // 23.558031
      [0x4202eb4b, 0x3f779884, 0x3e821ce2], // 32.729778
      [0x4255b0a9, 0xbc7d08a9, 0xbf7ff82f], // 53.42252
      [0x42a35c07, 0xbadaa3b4, 0x3f7fffe9], // 81.67974
      [0x42a97360, 0x3dc7b08a, 0xbf7ec7ba], // 84.72534
      [0x42e87a55, 0xb5d2257c, 0xbf800000], // 116.23893
    ];
    for (const [y, s, c] of fmaSensitive) {
      expect([y, sinfGlibc(fromBits(y)), cosfGlibc(fromBits(y))]).toEqual([y, fromBits(s), fromBits(c)]);
      expect([y, sinfGlibcReference(fromBits(y)), cosfGlibcReference(fromBits(y))]).toEqual([y, fromBits(s), fromBits(c)]);
    }
  });

  it("are not always the correctly rounded value: inputs where glibc is one ulp off f32(Math.sin/cos)", () => {
    // [input, sinf, cosf, which differs], from glibc: each range (|y| < π/4, the fast reduction below 120, reduce_large)
    const offByOne: [number, number, number, "sin" | "cos"][] = [
      [0xbe6c125f, 0xbe69fc77, 0x3f793a24, "sin"], // -0.23053883
      [0x3eac4068, 0x3ea90544, 0x3f71a606, "sin"], // 0.33642888
      [0x4241a7a6, 0xbf75f630, 0xbe8df847, "cos"], // 48.41372
      [0x42e7e33b, 0x3e94eabd, 0xbf74eeb9, "sin"], // 115.94381
      [0x44184a08, 0xbe9d47b8, 0x3f739f43, "sin"], // 609.15674
      [0x45f0fe55, 0x3f3ae77e, 0xbf2eefc2, "cos"], // 7711.7915
    ];
    for (const [y, s, c, which] of offByOne) {
      const x = fromBits(y);
      expect([y, sinfGlibc(x), cosfGlibc(x)]).toEqual([y, fromBits(s), fromBits(c)]);
      const rounded = which === "sin" ? f32(Math.sin(x)) : f32(Math.cos(x));
      expect(Math.abs(rounded - (which === "sin" ? fromBits(s) : fromBits(c)))).toBeGreaterThan(0);
    }
  });
});

interface RopeFixture {
  positions: number;
  base: number;
  tables: Record<string, { sha256: string; differing: number; diffs: number[] }>;
}

describe("ropeTablesGgml: RoPE's cos/sin tables as llama.cpp builds them with glibc", () => {
  const fixture = JSON.parse(readFileSync(new URL("./fixtures/glibc-rope-tables.json", import.meta.url), "utf8")) as RopeFixture;

  for (const D of [96, 64]) {
    it(`equals glibc's table for D = ${D}, base 10000, every entry of positions 0..8191`, () => {
      const { sha256, differing, diffs } = fixture.tables[D];
      const N = fixture.positions;
      const P = D / 2;
      const ggml = ropeTablesGgml(N, D, fixture.base);
      // the whole table in the C program's layout, hashed
      const layout = new Float32Array(1 + 2 * N * P);
      layout[0] = f32(Math.pow(f32(fixture.base), f32(-2 / D))); // theta_scale (powf's value, as the file holds it)
      for (let e = 0; e < N * P; e++) {
        layout[1 + 2 * e] = ggml.cos[e];
        layout[2 + 2 * e] = ggml.sin[e];
      }
      expect(createHash("sha256").update(new Uint8Array(layout.buffer)).digest("hex")).toBe(sha256);
      // and entry by entry: the correctly rounded tables, moved by one ulp where glibc's differ, are ours
      const plain = ropeTables(N, D, fixture.base);
      const expected = { cos: plain.cos.slice(), sin: plain.sin.slice() };
      let code = -1;
      for (const d of diffs) {
        code += Math.abs(d);
        const t = code % 2 === 0 ? expected.cos : expected.sin;
        const e = code >> 1;
        const bits = new Uint32Array(t.buffer, e * 4, 1);
        bits[0] += t[e] > 0 === d > 0 ? 1 : -1; // one ulp up or down in value
      }
      let before = 0;
      let after = 0;
      for (let e = 0; e < N * P; e++) {
        if (plain.cos[e] !== expected.cos[e]) before++;
        if (plain.sin[e] !== expected.sin[e]) before++;
        if (!Object.is(ggml.cos[e], expected.cos[e])) after++;
        if (!Object.is(ggml.sin[e], expected.sin[e])) after++;
      }
      expect({ before, after }).toEqual({ before: differing, after: 0 });
    });
  }
});
