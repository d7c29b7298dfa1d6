// The op tables are exhaustive: checked by the compiler (tsc -p
// tsconfig.tools.json compiles this file in `npm test`; each @ts-expect-error
// below fails the build if its table stops rejecting a missing entry) and at
// run time (every op of each union has an entry that its kernels follow).
import { describe, expect, it } from "vitest";
import {
  BINARY_OPS, BINARY_OP_NAMES, type BinaryOp, type BinaryOpInfo, REDUCE_OPS, REDUCE_OP_NAMES, type ReduceOp, type ReduceOpInfo,
  UNARY_OPS, UNARY_OP_NAMES, type UnaryOp, type UnaryOpInfo, cpuBackend, isFloatOnlyUnary, tensor,
} from "@bitnet-quantize/tensor";

// ---- type level: a union member without a table entry does not compile ----------

type WithSoftplus = UnaryOp | "softplus";
// @ts-expect-error: a new unary op ("softplus") without its UNARY_OPS entry is a compile error
const unaryMissing = UNARY_OPS satisfies Record<WithSoftplus, UnaryOpInfo>;

type WithAtan2 = BinaryOp | "atan2";
// @ts-expect-error: a new binary op ("atan2") without its BINARY_OPS entry is a compile error
const binaryMissing = BINARY_OPS satisfies Record<WithAtan2, BinaryOpInfo>;

type WithMedian = ReduceOp | "median";
// @ts-expect-error: a new reduction ("median") without its REDUCE_OPS entry is a compile error
const reduceMissing = REDUCE_OPS satisfies Record<WithMedian, ReduceOpInfo>;

// and the tables as they are hold every member (this line would fail if one were missing)
const complete: [Record<UnaryOp, UnaryOpInfo>, Record<BinaryOp, BinaryOpInfo>, Record<ReduceOp, ReduceOpInfo>] = [UNARY_OPS, BINARY_OPS, REDUCE_OPS];

describe("op tables", () => {
  it("list exactly the ops of their unions", () => {
    expect(unaryMissing).toBe(UNARY_OPS);
    expect(binaryMissing).toBe(BINARY_OPS);
    expect(reduceMissing).toBe(REDUCE_OPS);
    expect(REDUCE_OP_NAMES).toEqual(Object.keys(REDUCE_OPS));
    expect(complete[0]).toBe(UNARY_OPS);
    expect(UNARY_OP_NAMES).toEqual(Object.keys(UNARY_OPS));
    expect(BINARY_OP_NAMES).toEqual(Object.keys(BINARY_OPS));
    expect(UNARY_OP_NAMES.filter(isFloatOnlyUnary)).toEqual(["exp", "log", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid", "erf"]);
  });

  it("CPU float64 kernels are their table references, bit for bit", () => {
    const b = cpuBackend();
    const xs = [-3.5, -1, -0.5, -0, 0, 0.25, 1, 2.5, 7, NaN];
    for (const op of UNARY_OP_NAMES) {
      const x = tensor(xs, undefined, "float64", b);
      const out = b.readSync?.(b.unary(op, x.view));
      expect(out !== undefined && Array.from(out), op).toEqual(xs.map((v) => UNARY_OPS[op].ref(v)));
    }
    const ys = [2, -1, -0.5, 0, -0, 3, 1, 2.5, NaN, 7];
    for (const op of BINARY_OP_NAMES) {
      const outDtype = BINARY_OPS[op].dtype === "compare" ? "uint8" : "float64";
      const out = b.readSync?.(b.binary(op, tensor(xs, undefined, "float64", b).view, tensor(ys, undefined, "float64", b).view, outDtype));
      expect(out !== undefined && Array.from(out), op).toEqual(xs.map((v, i) => BINARY_OPS[op].ref(v, ys[i])));
    }
  });
});
