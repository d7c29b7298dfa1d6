// The inference pass's host loops (what runs between projections on a
// backend with synchronous reads) against the tensor-op paths they replace
// there, bit for bit, on random inputs and odd shapes: RMSNorm, the FFN
// activation, the activation quantizers, the attention over the cache; and
// projections that share one prepared input against separate projections.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BitLinear, BitNetConfig, BitNetError, type HiddenActivation, QuantizationError, absMaxInt8Rows, cachedAttention, cachedAttentionReference, ffnActivation, ffnActivationRows,
  kernelActivations, kernelActivationsFromRows, q8KQuantizeRows, rmsNormRows, rmsNormTensor,
} from "@bitnet-quantize/bitnet";
import { absMaxInt8Tensor } from "@bitnet-quantize/bitnet/testing";
import { cpuBackend, getBackend, randn, roundHalfEven, tensor } from "@bitnet-quantize/tensor";

/** The index of the first element where a and b differ as values (Object.is: -0 and NaN count), or -1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** Float32 values of every size: ordinary, tiny, huge, zeros of both signs. */
const value = fc.oneof(
  fc.float({ min: -8, max: 8, noNaN: true }),
  fc.float({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e-38, -3e-39, 3e38),
);

/** rows x cols float32 values. */
const matrix = (maxRows: number, cols: fc.Arbitrary<number>): fc.Arbitrary<{ rows: number; cols: number; data: Float32Array }> =>
  fc.tuple(fc.integer({ min: 1, max: maxRows }), cols).chain(([rows, c]) =>
    fc.array(value, { minLength: rows * c, maxLength: rows * c }).map((v) => ({ rows, cols: c, data: Float32Array.from(v) })),
  );

describe("rmsNormRows equals rmsNormTensor on the CPU", () => {
  it("with and without a weight, any row length, bit for bit", () => {
    fc.assert(
      fc.property(matrix(4, fc.integer({ min: 1, max: 300 })), fc.boolean(), fc.constantFrom(1e-5, 1e-6, 0.1), fc.integer(), ({ rows, cols, data }, weighted, eps, seed) => {
        const weight = weighted ? randn([cols], { seed }) : undefined;
        const expected = rmsNormTensor(tensor(data, [rows, cols]), eps, weight).dataSync();
        const got = rmsNormRows(data, cols, eps, weight?.dataSync());
        expect(firstDifference(got, expected)).toBe(-1);
        // in place
        const copy = data.slice();
        expect(rmsNormRows(copy, cols, eps, weight?.dataSync(), copy)).toBe(copy);
        expect(firstDifference(copy, expected)).toBe(-1);
      }),
      { seed: 21, numRuns: 200 },
    );
    expect(() => rmsNormRows(new Float32Array(5), 2, 1e-5)).toThrow(BitNetError);
  });
});

describe("ffnActivationRows equals ffnActivation on the CPU", () => {
  for (const act of ["silu", "relu2"] as const satisfies readonly HiddenActivation[]) {
    it(`${act}: any length, bit for bit (exp overflow, zeros, NaN)`, () => {
      const withNaN = fc.oneof(value, fc.constant(Number.NaN), fc.float({ min: -200, max: 200, noNaN: true }));
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 600 }).chain((n) => fc.tuple(fc.array(withNaN, { minLength: n, maxLength: n }), fc.array(value, { minLength: n, maxLength: n }))), ([g, u]) => {
          const gate = Float32Array.from(g);
          const up = Float32Array.from(u);
          const expected = ffnActivation(tensor(gate, [1, gate.length]), tensor(up, [1, up.length]), act).dataSync();
          expect(firstDifference(ffnActivationRows(gate, up, act), expected)).toBe(-1);
          expect(firstDifference(ffnActivationRows(gate, up, act, gate), expected)).toBe(-1); // in place
        }),
        { seed: 22, numRuns: 200 },
      );
    });
  }
  it("rejects mismatched lengths and unknown activations", () => {
    expect(() => ffnActivationRows(new Float32Array(3), new Float32Array(2), "silu")).toThrow(BitNetError);
    expect(() => ffnActivationRows(new Float32Array(3), new Float32Array(3), "gelu" as HiddenActivation)).toThrow(/unknown activation/);
  });
});

describe("the activation quantizers on host rows", () => {
  it("int8: kernelActivationsFromRows equals the tensor-op quantizer (codes and divisors), per token and per tensor, any bits and tie rule", () => {
    const finite = fc.oneof(fc.float({ min: -8, max: 8, noNaN: true }), fc.constantFrom(0, -0, 1e-7));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((rows) => fc.integer({ min: 1, max: 70 }).chain((cols) => fc.array(finite, { minLength: rows * cols, maxLength: rows * cols }).map((v) => ({ rows, cols, data: Float32Array.from(v) })))),
        fc.boolean(),
        fc.integer({ min: 2, max: 8 }),
        fc.constantFrom("half-even" as const, "half-away" as const),
        ({ rows, cols, data }, perToken, bits, rounding) => {
          const cfg = BitNetConfig.builder().perToken(perToken).activationBits(bits).rounding(rounding).build();
          const got = kernelActivationsFromRows(data, rows, cols, "int8", cfg, getBackend());
          const x = tensor(data, [rows, cols]);
          const ref = absMaxInt8Tensor(x, 2 ** (bits - 1) - 1, cfg.eps, rounding, perToken, bits);
          expect(Array.from(got.x.dataSync())).toEqual(Array.from(ref.codes.dataSync()));
          expect(firstDifference(got.xScale.dataSync(), ref.scales.expand([rows, 1]).contiguous().dataSync())).toBe(-1);
          const viaTensor = kernelActivations(x, "int8", cfg);
          expect(Array.from(viaTensor.x.dataSync())).toEqual(Array.from(got.x.dataSync()));
          expect(firstDifference(viaTensor.xScale.dataSync(), got.xScale.dataSync())).toBe(-1);
        },
      ),
      { seed: 23, numRuns: 200 },
    );
  });

  it("q8_K: q8KQuantizeRows follows quantize_row_q8_K_ref on several rows and blocks; float passes the values through", () => {
    fc.assert(
      fc.property(matrix(3, fc.constantFrom(256, 512, 768)), ({ rows, cols, data }) => {
        const codes = new Int8Array(rows * cols).fill(99); // overwritten, also where a block is all zero
        const scales = new Float32Array((rows * cols) / 256);
        data.fill(0, 0, 256); // an all-zero block
        q8KQuantizeRows(data, cols, codes, scales);
        for (let b = 0; b < scales.length; b++) {
          let max = 0;
          for (let i = b * 256; i < (b + 1) * 256; i++) if (Math.abs(data[i]) > Math.abs(max)) max = data[i];
          const iscale = max === 0 ? 1 : Math.fround(-127 / max);
          expect(scales[b]).toBe(iscale);
          for (let i = b * 256; i < (b + 1) * 256; i++) expect(codes[i]).toBe(max === 0 ? 0 : Math.min(127, roundHalfEven(Math.fround(iscale * data[i]))) + 0);
        }
        const ops = kernelActivationsFromRows(data, rows, cols, "q8_K", BitNetConfig.default(), getBackend());
        expect(Array.from(ops.x.dataSync())).toEqual(Array.from(codes));
        expect(ops.xScale.shape).toEqual([rows, cols / 256]);
        const f = kernelActivationsFromRows(data, rows, cols, "float", BitNetConfig.default(), getBackend());
        expect(firstDifference(f.x.dataSync(), data)).toBe(-1);
        expect(Array.from(f.xScale.dataSync())).toEqual(new Array<number>(rows).fill(1));
      }),
      { seed: 24, numRuns: 60 },
    );
  });

  it("q8_K: the block's max is its first value of largest magnitude, sign kept (ties of +m and -m)", () => {
    const data = new Float32Array(512).fill(0.25);
    data[3] = -2;
    data[5] = 2; // the same magnitude after it: ggml keeps -2
    data[256 + 7] = 2;
    data[256 + 9] = -2; // here +2 comes first
    const codes = new Int8Array(512);
    const scales = new Float32Array(2);
    q8KQuantizeRows(data, 256, codes, scales);
    expect(Array.from(scales)).toEqual([Math.fround(-127 / -2), Math.fround(-127 / 2)]);
    expect([codes[3], codes[5], codes[0], codes[263], codes[265], codes[256]]).toEqual([-127, 127, 16, -127, 127, -16]);
  });

  it("names the first NaN or infinity, as the tensor quantizers do", () => {
    const data = new Float32Array(512).fill(1);
    data[300] = Infinity;
    data[400] = Number.NaN;
    expect(() => q8KQuantizeRows(data, 256, new Int8Array(512), new Float32Array(2))).toThrow(new QuantizationError("q8KActivations: activations has Infinity at index 300"));
    const o = { qp: 127, eps: 1e-5, rounding: "half-even" as const, perToken: true, op: "absMaxInt8", name: "activations" };
    expect(() => absMaxInt8Rows(data, 256, o, new Int8Array(512), new Float64Array(2))).toThrow(new QuantizationError("absMaxInt8: activations has Infinity at index 300"));
    expect(() => kernelActivationsFromRows(data, 2, 256, "q8_K", BitNetConfig.default(), getBackend())).toThrow(/Infinity at index 300/);
    expect(() => kernelActivationsFromRows(data, 2, 255, "int8", BitNetConfig.default(), getBackend())).toThrow(BitNetError);
    expect(() => kernelActivationsFromRows(new Float32Array(200), 1, 200, "q8_K", BitNetConfig.default(), getBackend())).toThrow(/multiples of 256/);
  });
});

describe("cachedAttention equals its reference twin", () => {
  it("any positions, heads, kv heads and head size (odd ones too), f32 and f16 caches, bit for bit", () => {
    const shape = fc.record({
      N: fc.integer({ min: 1, max: 4 }),
      start: fc.integer({ min: 0, max: 9 }),
      kvHeads: fc.integer({ min: 1, max: 3 }),
      group: fc.integer({ min: 1, max: 3 }),
      headDim: fc.integer({ min: 1, max: 13 }),
      f16: fc.boolean(),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(shape, ({ N, start, kvHeads, group, headDim, f16, seed }) => {
        const heads = kvHeads * group;
        const S = start + N + 2;
        const rnd = (n: number, s: number): Float32Array => randn([n], { seed: s }).mul(3).dataSync() as Float32Array;
        const q = rnd(N * heads * headDim, seed);
        const keys = rnd(S * kvHeads * headDim, seed + 1);
        const values = rnd(S * kvHeads * headDim, seed + 2);
        const s = { N, start, heads, kvHeads, headDim, f16 };
        const q1 = q.slice();
        const q2 = q.slice();
        const a = new Float32Array(N * heads * headDim);
        const b = new Float32Array(N * heads * headDim);
        cachedAttention(q1, keys, values, a, s);
        cachedAttentionReference(q2, keys, values, b, s);
        expect(firstDifference(a, b)).toBe(-1);
        expect(firstDifference(q1, q2)).toBe(-1); // q rounded to fp16 alike
      }),
      { seed: 25, numRuns: 300 },
    );
    expect(() => cachedAttention(new Float32Array(4), new Float32Array(4), new Float32Array(4), new Float32Array(4), { N: 1, start: 5, heads: 1, kvHeads: 1, headDim: 4, f16: false })).toThrow(BitNetError);
    expect(() => cachedAttention(new Float32Array(6), new Float32Array(6), new Float32Array(6), new Float32Array(6), { N: 1, start: 0, heads: 3, kvHeads: 2, headDim: 2, f16: false })).toThrow(/multiple of kvHeads/);
  });
});

describe("frozen projections that share one prepared input", () => {
  it("projectMany and project(prepare(x)) equal separate projections in every mode; prepareRows equals prepare", () => {
    const layers = [new BitLinear(512, 24, { seed: 1 }), new BitLinear(512, 8, { seed: 2 }), new BitLinear(512, 16, { seed: 3 })].map((l) => l.freeze());
    for (const mode of ["int8", "float", "q8_K"] as const) {
      const x = randn([3, 512], { seed: 7 });
      const separate = layers.map((l) => l.project(x, mode).dataSync());
      const many = BitLinear.projectMany(layers, x, mode).map((t) => t.dataSync());
      const rows = layers[0].prepareRows(x.dataSync(), 3, mode, getBackend());
      for (let i = 0; i < layers.length; i++) {
        expect(firstDifference(many[i], separate[i])).toBe(-1);
        expect(firstDifference(layers[i].project(rows).dataSync(), separate[i])).toBe(-1);
      }
      expect(layers[1].project(layers[0].prepare(randn([2, 2, 512], { seed: 8 }), mode)).shape).toEqual([2, 2, 8]);
    }
    expect(BitLinear.projectMany([], randn([1, 4]))).toEqual([]);
  });

  it("projectManyInto writes each layer's projectMany bits into the caller's arrays (biases, mixed weight-scale groupings, every mode, one and two threads)", () => {
    const grouped = BitNetConfig.builder().groupSize(256).build();
    const layers = [
      BitLinear.fromWeight(randn([24, 512], { seed: 1 }), randn([24], { seed: 11 })),
      new BitLinear(512, 8, { seed: 2 }),
      BitLinear.fromWeight(randn([16, 512], { seed: 3 }), null, grouped),
    ].map((l) => l.freeze());
    for (const backend of [cpuBackend({ threads: 1 }), cpuBackend({ threads: 2 })]) {
      for (const mode of ["int8", "float", "q8_K"] as const) {
        const x = randn([3, 512], { seed: 7 });
        const input = layers[0].prepareRows(x.dataSync(), 3, mode, backend);
        const want = BitLinear.projectMany(layers, input).map((t) => t.dataSync());
        const outs = layers.map((l) => new Float32Array(3 * l.outFeatures).fill(Number.NaN));
        BitLinear.projectManyInto(layers, input, outs);
        for (let i = 0; i < layers.length; i++) expect(firstDifference(outs[i], want[i])).toBe(-1);
      }
    }
    const input = layers[0].prepareRows(new Float32Array(512).fill(0.5), 1, "int8", getBackend());
    expect(() => BitLinear.projectManyInto(layers, input, [new Float32Array(24)])).toThrow(/3 layers but 1 outputs/);
    expect(() => BitLinear.projectManyInto(layers.slice(0, 1), input, [new Float32Array(23)])).toThrow(/output 0 must be a Float32Array of 1 x 24 values/);
    expect(() => BitLinear.projectManyInto([new BitLinear(512, 4)], input, [new Float32Array(4)])).toThrow(/not frozen/);
    expect(() => BitLinear.projectManyInto([new BitLinear(256, 4).freeze()], input, [new Float32Array(4)])).toThrow(/has 512 features; this layer takes 256/);
  });

  it("a layer's own input norm is applied when its config asks, and an input prepared with other settings is refused", () => {
    const normed = BitNetConfig.builder().useRmsNorm(true).build();
    const a = BitLinear.fromWeight(randn([8, 64], { seed: 1 }), null, normed).freeze();
    const x = randn([2, 64], { seed: 2 });
    expect(firstDifference(a.project(a.prepareRows(x.dataSync(), 2, "int8", getBackend())).dataSync(), a.project(x).dataSync())).toBe(-1);
    const plain = BitLinear.fromWeight(randn([8, 64], { seed: 1 }), null).freeze();
    expect(() => plain.project(a.prepare(x))).toThrow(/other settings/);
    expect(() => new BitLinear(32, 8).freeze().project(a.prepare(x))).toThrow(/64 features/);
    expect(() => a.prepareRows(new Float32Array(10), 2, "int8", getBackend())).toThrow(BitNetError);
  });
});
