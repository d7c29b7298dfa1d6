// The quantizers against the spec's vectors and independent loops, with
// fast-check properties: codes in range, positive scales, idempotence on
// ternary input, group boundaries, and the GPU-path formula equal to the loop.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randn, tensor } from "@bitnet-quantize/tensor";
import { findMismatch } from "@bitnet-quantize/tensor/testing";
import { QuantizationError, absMaxInt8, absMeanTernary, dequantizeInt8, dequantizeTernary } from "@bitnet-quantize/bitnet";
import { absMaxInt8Tensor, absMeanTernaryTensor } from "@bitnet-quantize/bitnet/testing";

const SEED = 158;

describe("absMeanTernary", () => {
  it("matches the crate's vectors (group 4, half-away) and the per-tensor scale", () => {
    const w = tensor([[1, -1, 0.5, -0.5], [2, -2, 0.1, -0.1]]);
    const g = absMeanTernary(w, { groupSize: 4, rounding: "half-away" });
    expect(g.codes.toArray()).toEqual([[1, -1, 1, -1], [1, -1, 0, 0]]);
    expect(findMismatch(g.scales, [[0.75], [1.05]], { rtol: 1e-6 })).toBeUndefined();
    const t = absMeanTernary(w, { rounding: "half-away" });
    expect(t.scales.shape).toEqual([1, 1]);
    expect(t.scales.item()).toBeCloseTo(0.9, 6);
    expect(t.codes.toArray()).toEqual([[1, -1, 1, -1], [1, -1, 0, 0]]);
    expect(findMismatch(dequantizeTernary(g), [[0.75, -0.75, 0.75, -0.75], [1.05, -1.05, 0, 0]], { rtol: 1e-6 })).toBeUndefined();
  });

  it("rounds ties as asked: 1.5·s goes to 2 → clamped 1 either way, 0.5·s to 0 (even) or 1 (away)", () => {
    // s = mean(|[0.5, 1.5]|) = 1: 0.5 is a tie
    expect(absMeanTernary(tensor([0.5, 1.5])).codes.toArray()).toEqual([0, 1]);
    expect(absMeanTernary(tensor([0.5, 1.5]), { rounding: "half-away" }).codes.toArray()).toEqual([1, 1]);
  });

  it("gives zeros for all-zero groups and rejects NaN/Inf and bad options", () => {
    const q = absMeanTernary(tensor([[0, 0, 0, 0], [1, 2, 3, 4]]), { groupSize: "row" });
    expect((q.codes.toArray() as number[][])[0]).toEqual([0, 0, 0, 0]);
    expect((dequantizeTernary(q).toArray() as number[][])[0]).toEqual([0, 0, 0, 0]);
    expect(() => absMeanTernary(tensor([1, NaN]))).toThrow(QuantizationError);
    expect(() => absMeanTernary(tensor([1, NaN]), { name: "blk.0.q" })).toThrow("absMeanTernary: blk.0.q has NaN at index 1");
    expect(() => absMeanTernary(tensor([Infinity]))).toThrow(/Infinity at index 0/);
    expect(() => absMeanTernary(tensor([1]), { groupSize: 0 })).toThrow(/groupSize/);
    expect(() => absMeanTernary(tensor([1], undefined, "int32"))).toThrow(/float32 or float64/);
  });

  const weightCase = fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 20 }), fc.constantFrom<"tensor" | "row" | number>("tensor", "row", 1, 3, 8), fc.integer())
    .map(([rows, cols, groupSize, seed]) => ({ w: randn([rows, cols], { seed, dtype: "float64" }), groupSize }));

  it("codes lie in {-1,0,1}, scales are positive and equal each group's mean |w| (ragged last group)", () => {
    fc.assert(
      fc.property(weightCase, ({ w, groupSize }) => {
        const q = absMeanTernary(w, { groupSize });
        const [rows, cols] = w.shape as [number, number];
        const data = w.dataSync();
        const codes = q.codes.dataSync();
        for (const c of codes) expect([-1, 0, 1]).toContain(c);
        const gc = groupSize === "tensor" || groupSize === "row" ? cols : groupSize;
        const G = Math.ceil(cols / gc);
        const s = q.scales.dataSync();
        for (let r = 0; r < rows; r++)
          for (let g = 0; g < G; g++) {
            const lo = groupSize === "tensor" ? 0 : r * cols + g * gc;
            const hi = groupSize === "tensor" ? rows * cols : r * cols + Math.min(cols, (g + 1) * gc);
            let sum = 0;
            for (let i = lo; i < hi; i++) sum += Math.abs(data[i]);
            const expected = Math.max(sum / (hi - lo), 1e-5);
            const got = s[groupSize === "tensor" ? 0 : r * G + g];
            expect(got).toBeGreaterThan(0);
            expect(got).toBeCloseTo(expected, 12);
            for (let i = r * cols + g * gc; i < r * cols + Math.min(cols, (g + 1) * gc); i++) {
              const t = Math.max(-1, Math.min(1, Math.round(data[i] / got)));
              // away from ties, the code is the clamped nearest integer
              if (Math.abs(Math.abs(data[i] / got) % 1 - 0.5) > 1e-9) expect(codes[i]).toBe(t === 0 ? 0 : t);
            }
          }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("the tensor-op path (for GPU backends) equals the loop exactly on float64", () => {
    fc.assert(
      fc.property(weightCase, fc.constantFrom<"half-even" | "half-away">("half-even", "half-away"), ({ w, groupSize }, rounding) => {
        const a = absMeanTernary(w, { groupSize, rounding });
        const b = absMeanTernaryTensor(w, groupSize, 1e-5, rounding);
        expect(Array.from(b.codes.dataSync())).toEqual(Array.from(a.codes.dataSync()));
        expect(b.scales.shape).toEqual(a.scales.shape);
        expect(Array.from(b.scales.dataSync())).toEqual(Array.from(a.scales.dataSync()));
        expect(b.groupColumns).toBe(a.groupColumns);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("is idempotent on ternary input: quantizing dequantized weights gives the same codes", () => {
    fc.assert(
      fc.property(weightCase, ({ w, groupSize }) => {
        const q = absMeanTernary(w, { groupSize });
        const q2 = absMeanTernary(dequantizeTernary(q), { groupSize });
        expect(Array.from(q2.codes.dataSync())).toEqual(Array.from(q.codes.dataSync()));
        const t = absMeanTernary(q.codes.cast("float32"), { groupSize });
        expect(Array.from(t.codes.dataSync())).toEqual(Array.from(q.codes.dataSync()));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe("absMaxInt8", () => {
  it("matches the spec's per-token vector and zero rows", () => {
    const q = absMaxInt8(tensor([[0.5, -1, 0.25, 0], [0, 0, 0, 0]]));
    expect(q.codes.toArray()).toEqual([[64, -127, 32, 0], [0, 0, 0, 0]]);
    expect(q.scales.shape).toEqual([2, 1]);
    expect(q.scales.toArray()).toEqual([[127], [127 / 1e-5]].map((r) => r.map(Math.fround)));
    expect((dequantizeInt8(q).toArray() as number[][])[1]).toEqual([0, 0, 0, 0]);
  });

  it("supports per-tensor scales and 2..8 bits, clamps to [-Qp-1, Qp], rejects NaN", () => {
    const x = tensor([[1, -2], [4, 0.5]]);
    const q = absMaxInt8(x, { perToken: false, bits: 4 }); // Qp = 7, scale = 7/4
    expect(q.scales.shape).toEqual([1, 1]);
    expect(q.codes.toArray()).toEqual([[2, -4], [7, 1]]); // 1.75 -> 2, -3.5 -> -4 (even), 7, 0.875 -> 1
    expect(() => absMaxInt8(x, { bits: 9 })).toThrow(/bits must be an integer from 2 to 8/);
    expect(() => absMaxInt8(x, { bits: 1 })).toThrow(QuantizationError);
    expect(() => absMaxInt8(tensor([[0, NaN]]))).toThrow("absMaxInt8: activations has NaN at index 1");
  });

  it("codes stay in range, dequantization error is at most half a step, and the tensor-op path equals the loop", () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 2, max: 8 }), fc.boolean(), fc.constantFrom<"half-even" | "half-away">("half-even", "half-away"), fc.integer()),
        ([rows, cols, bits, perToken, rounding, seed]) => {
          const x = randn([2, rows, cols], { seed, dtype: "float64" });
          const q = absMaxInt8(x, { bits, perToken, rounding });
          const qp = 2 ** (bits - 1) - 1;
          for (const c of q.codes.dataSync()) expect(c >= -qp - 1 && c <= qp).toBe(true);
          const err = dequantizeInt8(q).sub(x).abs();
          const halfStep = q.scales.pow(-1).mul(0.5 + 1e-9).expand(x.shape);
          expect(err.le(halfStep).min().item()).toBe(1);
          const g = absMaxInt8Tensor(x, qp, 1e-5, rounding, perToken, bits);
          expect(Array.from(g.codes.dataSync())).toEqual(Array.from(q.codes.dataSync()));
          expect(findMismatch(g.scales.expand(q.scales.shape), q.scales, { rtol: 1e-15 })).toBeUndefined();
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});
