// The plans that keep every shader loop bounded: long reductions split into
// passes of bounded chunks, long matmul K into slices, and what cannot be split
// refused with a BackendError. Pure planning, no GPU; the results at these
// sizes are checked on every backend by the conformance suite's `long/` cases.
import { describe, expect, it } from "vitest";
import { BackendError, contiguousStrides } from "@bitnet-quantize/tensor";
import { type KernelLimits, MAX_LOOP_ITERATIONS, SPLIT_LOOP_ITERATIONS, dispatch2d } from "../src/program.js";
import { reduceChunk, reducePasses } from "../src/programs/reduce.js";
import { matmulMeta } from "../src/programs/matmul-meta.js";
import { scatterAddProgram } from "../src/programs/gather.js";

const CORE: KernelLimits = { maxInvocations: 256, maxWorkgroupSizeX: 256, maxWorkgroupsPerDimension: 65535 };
const COMPAT: KernelLimits = { maxInvocations: 128, maxWorkgroupSizeX: 128, maxWorkgroupsPerDimension: 65535 };
const layout = (shape: number[]): { shape: number[]; strides: number[]; offset: number } => ({ shape, strides: contiguousStrides(shape), offset: 0 });

describe("bounded shader loops", () => {
  it("the split bound is well under llvmpipe's 65,535-iteration loop cap", () => {
    expect(MAX_LOOP_ITERATIONS).toBeLessThan(65_535 / 2);
    expect(SPLIT_LOOP_ITERATIONS).toBeLessThanOrEqual(MAX_LOOP_ITERATIONS);
  });

  for (const limits of [CORE, COMPAT]) {
    it(`a reduction of 1.5M elements is split into passes of bounded chunks (${limits.maxInvocations} invocations)`, () => {
      for (const op of ["sum", "max", "argmax"] as const) {
        const passes = reducePasses(op, "float32", layout([1_500_000]), [0], limits);
        expect(passes.length).toBe(2);
        const chunk = reduceChunk(limits);
        expect(chunk / passes[0].program.workgroupSize[0]).toBeLessThanOrEqual(SPLIT_LOOP_ITERATIONS);
        expect(passes[0].final).toBe(false);
        expect(passes[0].outputs).toBe(Math.ceil(1_500_000 / chunk));
        expect(passes[1].final).toBe(true);
        expect(passes[1].readsIndex).toBe(op === "argmax");
      }
    });
  }

  it("a reduction that fits one workgroup's bounded loop stays one pass", () => {
    expect(reducePasses("sum", "float32", layout([4, 3000]), [1], CORE)).toHaveLength(1);
    expect(reducePasses("sum", "float32", layout([4, reduceChunk(CORE)]), [1], CORE)).toHaveLength(1);
    expect(reducePasses("sum", "float32", layout([4, reduceChunk(CORE) + 1]), [1], CORE)).toHaveLength(2);
  });

  it("a very long reduction takes three passes, each bounded", () => {
    const n = reduceChunk(CORE) * reduceChunk(CORE) + 1;
    const passes = reducePasses("min", "float32", { shape: [n], strides: [0], offset: 0 }, [0], CORE);
    expect(passes).toHaveLength(3);
  });

  it("matmul slices K past the split bound and not before", () => {
    expect(matmulMeta(layout([1, SPLIT_LOOP_ITERATIONS]), layout([SPLIT_LOOP_ITERATIONS, 1])).dims.slices).toBe(1);
    expect(matmulMeta(layout([1, 100_000]), layout([100_000, 1])).dims.slices).toBe(Math.ceil(100_000 / SPLIT_LOOP_ITERATIONS));
    expect(matmulMeta(layout([16, 1_000_000]), layout([1_000_000, 16])).dims.slices).toBe(Math.ceil(1_000_000 / SPLIT_LOOP_ITERATIONS));
  });

  it("scatterAdd refuses more index positions per output than one invocation may loop over", () => {
    const n = MAX_LOOP_ITERATIONS + 1;
    expect(() => scatterAddProgram("float32", [4], 0, layout([n]), layout([n]), CORE)).toThrow(BackendError);
    expect(() => scatterAddProgram("float32", [4], 0, layout([MAX_LOOP_ITERATIONS]), layout([MAX_LOOP_ITERATIONS]), CORE)).not.toThrow();
  });

  it("a dispatch past the device's workgroup grid is a BackendError", () => {
    expect(() => dispatch2d(65535 * 65535 + 1, 65535)).toThrow(BackendError);
  });
});
