// Conformance cases: elementwise ops: every op of UNARY_OPS and BINARY_OPS against its reference, integer dtypes, where, cast and contiguous.
import { arange, full, tensor } from "../../creation.js";
import { abs, add, div, exp, lt, maximum, minimum, mul, neg, pow, relu, sign, sub, where } from "../../ops/elementwise.js";
import { BINARY_OP_NAMES, BINARY_OPS, type BinaryOpInfo } from "../../ops/binary-ops.js";
import { UNARY_OP_NAMES, UNARY_OPS, type UnaryOpInfo } from "../../ops/unary-ops.js";
import { values, forEachIndex, stored, expectData, TRANSCENDENTAL, binaryTol, unaryOp, binaryOp, caseAdder } from "./support.js";
import { type ConformanceCase, ConformanceError } from "./types.js";

/**
 * Elementwise ops: every op of UNARY_OPS and BINARY_OPS against its reference, integer dtypes, where, cast and contiguous.
 *
 * @example
 * ```ts
 * for (const c of elementwiseCases()) await c.run(cpuBackend());
 * ```
 */
export function elementwiseCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add1 = caseAdder(cases);

  // unary, float32: every op of UNARY_OPS on its samples, against its reference
  for (const op of UNARY_OP_NAMES) {
    const info: UnaryOpInfo = UNARY_OPS[op];
    add1(`unary/${op}-float32`, async (b) => {
      const data = info.samples.map(Math.fround);
      const tol = info.tolerance === "exact" ? {} : TRANSCENDENTAL;
      const x = tensor(data, [data.length], "float32", b);
      await expectData(`unary/${op}`, unaryOp(op, x), [data.length], "float32", data.map((v) => Math.fround(info.ref(v))), tol);
    });
  }
  add1("unary/exp-transposed-view", async (b) => {
    const data = values(12, 1);
    const x = tensor(data, [3, 4], "float32", b).transpose();
    const exp_: number[] = [];
    forEachIndex([4, 3], ([i, j]) => exp_.push(Math.exp(data[(j) * 4 + (i)])));
    await expectData("unary/exp-transposed", exp(x), [4, 3], "float32", exp_, TRANSCENDENTAL);
  });
  add1("unary/integer-dtypes", async (b) => {
    const i8 = [-128, -1, 0, 5, 127];
    await expectData("unary/neg-int8", neg(tensor(i8, [5], "int8", b)), [5], "int8", i8.map((v) => stored(-v, "int8")));
    await expectData("unary/abs-int8", abs(tensor(i8, [5], "int8", b)), [5], "int8", i8.map((v) => stored(Math.abs(v), "int8")));
    await expectData("unary/sign-int8", sign(tensor(i8, [5], "int8", b)), [5], "int8", i8.map((v) => Math.sign(v)));
    await expectData("unary/relu-int8", relu(tensor(i8, [5], "int8", b)), [5], "int8", i8.map((v) => Math.max(v, 0)));
    const u8 = [0, 1, 200, 255];
    await expectData("unary/neg-uint8", neg(tensor(u8, [4], "uint8", b)), [4], "uint8", u8.map((v) => stored(-v, "uint8")));
    const i32 = [-2147483648, -7, 0, 9, 2147483647];
    await expectData("unary/neg-int32", neg(tensor(i32, [5], "int32", b)), [5], "int32", i32.map((v) => stored(-v, "int32")));
    await expectData("unary/abs-int32", abs(tensor(i32, [5], "int32", b)), [5], "int32", i32.map((v) => stored(Math.abs(v), "int32")));
    const u32 = [0, 1, 4294967295];
    await expectData("unary/neg-uint32", neg(tensor(u32, [3], "uint32", b)), [3], "uint32", u32.map((v) => stored(-v, "uint32")));
    await expectData("unary/sign-uint32", sign(tensor(u32, [3], "uint32", b)), [3], "uint32", [0, 1, 1]);
    await expectData("unary/exp-int32-is-float", exp(tensor([0, 1], [2], "int32", b)), [2], "float32", [1, Math.fround(Math.E)], TRANSCENDENTAL);
  });

  // binary, float32, with broadcasting: every non-comparison op of BINARY_OPS against its reference
  for (const op of BINARY_OP_NAMES) {
    const info: BinaryOpInfo = BINARY_OPS[op];
    if (info.dtype === "compare") continue; // on NaN-heavy pairs below
    add1(`binary/${op}-broadcast`, async (b) => {
      const xa = values(6, 11);
      const xb = values(4, 12);
      xa[2] = NaN;
      const a = tensor(xa, [6, 1], "float32", b);
      const c = tensor(xb, [1, 4], "float32", b);
      const expected: number[] = [];
      forEachIndex([6, 4], ([i, j]) => expected.push(Math.fround(info.ref(xa[i], xb[j]))));
      await expectData(`binary/${op}`, binaryOp(op, a, c), [6, 4], "float32", expected, info.tolerance === "exact" ? {} : binaryTol(op));
    });
  }
  add1("binary/div-by-zero", async (b) => {
    const x = tensor([1, -1, 0, 2], [4], "float32", b);
    await expectData("binary/div-by-zero", div(x, tensor([0, 0, 0, 4], [4], "float32", b)), [4], "float32", [Infinity, -Infinity, NaN, 0.5]);
  });
  add1("binary/pow-js-rules", async (b) => {
    const pairs: [number, number][] = [[2, 3], [-2, 3], [-2, 2], [-2, 0.5], [0, -1], [0, 2], [4, 0.5], [NaN, 0], [1.5, NaN], [3, -2], [2, 10], [10, -1], [2.5, 1.5], [0, 0]];
    const x = tensor(pairs.map((p) => p[0]), [pairs.length], "float32", b);
    const y = tensor(pairs.map((p) => p[1]), [pairs.length], "float32", b);
    await expectData("binary/pow", pow(x, y), [pairs.length], "float32", pairs.map(([p, q]) => Math.fround(p ** q)), { rtol: 2e-6 });
  });
  add1("binary/comparisons-float-with-nan", async (b) => {
    const xa = [1, 2, NaN, 3, -1, 0];
    const xb = [1, 3, NaN, 2, NaN, -0];
    for (const op of BINARY_OP_NAMES) {
      const info: BinaryOpInfo = BINARY_OPS[op];
      if (info.dtype !== "compare") continue;
      const out = binaryOp(op, tensor(xa, [6], "float32", b), tensor(xb, [6], "float32", b));
      await expectData(`binary/${op}`, out, [6], "uint8", xa.map((v, i) => info.ref(v, xb[i])));
    }
  });
  add1("binary/integer-wrap", async (b) => {
    await expectData("binary/add-int8", add(tensor([100, -100, 5], [3], "int8", b), tensor([100, -100, 5], [3], "int8", b)), [3], "int8", [-56, 56, 10]);
    await expectData("binary/add-uint8", add(tensor([200, 1], [2], "uint8", b), tensor([100, 2], [2], "uint8", b)), [2], "uint8", [44, 3]);
    await expectData("binary/add-int32", add(tensor([2147483647], [1], "int32", b), tensor([1], [1], "int32", b)), [1], "int32", [-2147483648]);
    await expectData("binary/sub-uint32", sub(tensor([1], [1], "uint32", b), tensor([2], [1], "uint32", b)), [1], "uint32", [4294967295]);
    await expectData("binary/mul-int32", mul(tensor([-7, 3000], [2], "int32", b), tensor([6, 3000], [2], "int32", b)), [2], "int32", [-42, 9000000]);
    await expectData("binary/pow-int32", pow(tensor([2, -3, 2, 5], [4], "int32", b), tensor([10, 3, -1, 0], [4], "int32", b)), [4], "int32", [1024, -27, 0, 1]);
    await expectData("binary/max-int32", maximum(tensor([-5, 7], [2], "int32", b), tensor([3, -9], [2], "int32", b)), [2], "int32", [3, 7]);
    await expectData("binary/min-uint8", minimum(tensor([5, 250], [2], "uint8", b), tensor([9, 3], [2], "uint8", b)), [2], "uint8", [5, 3]);
    await expectData("binary/lt-int8", lt(tensor([-1, 5], [2], "int8", b), tensor([0, 5], [2], "int8", b)), [2], "uint8", [1, 0]);
    await expectData("binary/div-int-is-float", div(tensor([7, -7], [2], "int32", b), 2), [2], "float32", [3.5, -3.5]);
  });
  add1("binary/scalar-operands", async (b) => {
    const x = tensor([1, 2, 3], [3], "float32", b);
    await expectData("binary/scalar-right", sub(x, 0.5), [3], "float32", [0.5, 1.5, 2.5]);
    await expectData("binary/scalar-left", sub(10, x), [3], "float32", [9, 8, 7]);
  });
  add1("binary/strided-and-offset-views", async (b) => {
    const data = values(24, 5);
    const base = tensor(data, [4, 6], "float32", b);
    const v = base.slice(1, 1, 6, 2).narrow(0, 1, 3); // rows 1..3, columns 1,3,5
    const w = tensor(values(3, 6), [3], "float32", b).reshape([3, 1]).expand([3, 3]);
    const wv = values(3, 6);
    const expected: number[] = [];
    forEachIndex([3, 3], ([i, j]) => expected.push(Math.fround((data[((i) + 1) * 6 + 1 + 2 * (j)]) * (wv[i]))));
    await expectData("binary/strided", mul(v, w), [3, 3], "float32", expected);
    await expectData("binary/self-alias", add(base, base.transpose().transpose()), [4, 6], "float32", data.map((x) => Math.fround(2 * x)));
  });

  // where, cast, contiguous
  add1("where/broadcast", async (b) => {
    const cond = tensor([1, 0, 1], [3, 1], "uint8", b);
    const xa = values(4, 7);
    const out = where(cond, tensor(xa, [1, 4], "float32", b), full([3, 4], -1, "float32", b));
    const expected: number[] = [];
    forEachIndex([3, 4], ([i, j]) => expected.push(i === 1 ? -1 : (xa[j])));
    await expectData("where/broadcast", out, [3, 4], "float32", expected);
    await expectData("where/int32", where(tensor([0, 1], [2], "uint8", b), tensor([5, 6], [2], "int32", b), tensor([7, 8], [2], "int32", b)), [2], "int32", [7, 6]);
  });
  add1("cast/float-to-int-truncates-and-wraps", async (b) => {
    const src = [1.7, -1.7, 0.2, -0.2, 300.5, -1, 127.9, -129, 3e9, NaN, Infinity];
    const x = tensor(src, [src.length], "float32", b);
    for (const dtype of ["int32", "int8", "uint8", "uint32"] as const) {
      await expectData(`cast/float32-to-${dtype}`, x.cast(dtype), [src.length], dtype, src.map((v) => stored(Number.isFinite(v) ? Math.trunc(Math.fround(v)) : 0, dtype)));
    }
  });
  add1("cast/between-integers-and-to-float", async (b) => {
    const i32 = [-200, -1, 0, 200, 70000, 2147483647];
    const x = tensor(i32, [6], "int32", b);
    await expectData("cast/int32-to-int8", x.cast("int8"), [6], "int8", i32.map((v) => stored(v, "int8")));
    await expectData("cast/int32-to-uint8", x.cast("uint8"), [6], "uint8", i32.map((v) => stored(v, "uint8")));
    await expectData("cast/int32-to-uint32", x.cast("uint32"), [6], "uint32", i32.map((v) => stored(v, "uint32")));
    await expectData("cast/int32-to-float32", x.cast("float32"), [6], "float32", i32.map(Math.fround));
    await expectData("cast/uint32-to-int32", tensor([4294967295, 5], [2], "uint32", b).cast("int32"), [2], "int32", [-1, 5]);
    await expectData("cast/int8-to-float32", tensor([-128, 127], [2], "int8", b).cast("float32"), [2], "float32", [-128, 127]);
    await expectData("cast/uint8-to-int8", tensor([255, 128, 3], [3], "uint8", b).cast("int8"), [3], "int8", [-1, -128, 3]);
  });
  add1("contiguous/permuted-3d-and-expanded", async (b) => {
    const data = values(24, 9);
    const x = tensor(data, [2, 3, 4], "float32", b).permute([2, 0, 1]);
    const expected: number[] = [];
    forEachIndex([4, 2, 3], ([k, i, j]) => expected.push(data[(i) * 12 + (j) * 4 + (k)]));
    const c = x.contiguous();
    if (!c.isContiguous()) throw new ConformanceError("contiguous", "result is not contiguous");
    await expectData("contiguous/permuted", c, [4, 2, 3], "float32", expected);
    await expectData("contiguous/expanded", tensor([1, 2], [2, 1], "int32", b).expand([2, 3]).contiguous(), [2, 3], "int32", [1, 1, 1, 2, 2, 2]);
    await expectData("contiguous/narrowed", arange(0, 10, 1, "float32", b).narrow(0, 3, 4).contiguous(), [4], "float32", [3, 4, 5, 6]);
  });

  return cases;
}
