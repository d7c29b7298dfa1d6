// The backend conformance suite: named cases that create tensors on a given
// backend, run ops through the public tensor functions, read back with
// `await t.data()` and compare with expectations computed in the case by plain
// loops. Any backend (CPU, WebGPU, ...) runs the same cases. No test runner here.
import type { Backend, BinaryOp, UnaryOp } from "../backend.js";
import type { DType } from "../dtype.js";
import { arange, full, tensor, zeros } from "../creation.js";
import { type Tensor, fromStorage } from "../tensor.js";
import { abs, add, div, exp, lt, maximum, minimum, mul, neg, pow, relu, sign, sub, where } from "../ops/elementwise.js";
import * as elementwise from "../ops/elementwise.js";
import { BINARY_OPS, BINARY_OP_NAMES, type BinaryOpInfo } from "../ops/binary-ops.js";
import { UNARY_OPS, UNARY_OP_NAMES, type UnaryOpInfo } from "../ops/unary-ops.js";
import { argmax, argmin, max, mean, min, prod, sum, variance } from "../ops/reduce.js";
import { matmul } from "../ops/matmul.js";
import { logSoftmax, softmax } from "../ops/softmax.js";
import { gather, indexSelect, scatterAdd } from "../ops/indexing.js";
import { concat, stack } from "../ops/join.js";
import { packTernaryArray } from "../quant/packed-format.js";
import { packTernary } from "../quant/packed-ternary.js";
import { ArgumentError } from "../errors.js";

/**
 * One conformance case: `run` throws a {@link ConformanceError} on a mismatch.
 *
 * @example
 * ```ts
 * for (const c of conformanceCases()) await c.run(cpuBackend());
 * ```
 */
export interface ConformanceCase {
  /** `group/what`, unique. */
  readonly name: string;
  run(backend: Backend): Promise<void>;
}

/**
 * Which optional capabilities the backend under test has.
 *
 * @example
 * ```ts
 * conformanceCases({ float64: false }); // a WebGPU backend holds no float64
 * ```
 */
export interface ConformanceOptions {
  /** Include float64 cases (default true). */
  readonly float64?: boolean;
}

/**
 * A mismatch between a backend's result and the expectation.
 *
 * @example
 * ```ts
 * throw new ConformanceError("unary/exp", "element 3: got 1, expected 2.718");
 * ```
 */
export class ConformanceError extends Error {
  constructor(caseName: string, detail: string) {
    super(`${caseName}: ${detail}`);
    this.name = "ConformanceError";
  }
}

// ---- expectation helpers -------------------------------------------------------

/** Deterministic values in [lo, hi) (mulberry32), independent of the library's RNG. */
function values(n: number, seed: number, lo = -2, hi = 2): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out.push(Math.fround(lo + (hi - lo) * u));
  }
  return out;
}

function ints(n: number, seed: number, lo: number, hi: number): number[] {
  return values(n, seed, 0, 1).map((u) => lo + Math.floor(u * (hi - lo)));
}

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = (s[d + 1] as number) * (shape[d + 1] as number);
  return s;
}

/** Calls f with every multi-index of shape, in row-major order. */
function forEachIndex(shape: readonly number[], f: (idx: number[], flat: number) => void): void {
  const n = shape.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    f(idx, flat);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (shape[d] as number)) break;
      idx[d] = 0;
    }
  }
}

interface Tol {
  readonly rtol?: number;
  readonly atol?: number;
  /** Per-element absolute tolerance (added to atol). */
  readonly atolEach?: readonly number[];
}

/** Stores a JS number as a dtype's typed array would. */
function stored(v: number, dtype: DType): number {
  switch (dtype) {
    case "float32":
      return Math.fround(v);
    case "float64":
      return v;
    case "int32":
      return v | 0;
    case "uint32":
      return v >>> 0;
    case "int8":
      return (v << 24) >> 24;
    case "uint8":
      return v & 255;
  }
}

async function expectData(name: string, t: Tensor, shape: readonly number[], dtype: DType, expected: readonly number[], tol: Tol = {}): Promise<void> {
  if (t.dtype !== dtype) throw new ConformanceError(name, `dtype ${t.dtype}, expected ${dtype}`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new ConformanceError(name, `shape [${t.shape.join(",")}], expected [${shape.join(",")}]`);
  }
  const got = await t.data();
  if (got.length !== expected.length) throw new ConformanceError(name, `${got.length} elements, expected ${expected.length}`);
  const rtol = tol.rtol ?? 0;
  const atol = tol.atol ?? 0;
  for (let i = 0; i < got.length; i++) {
    const a = got[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) && Number.isNaN(a)) continue;
      throw new ConformanceError(name, `element ${i}: got ${a}, expected ${e}`);
    }
    if (a === e) continue;
    const bound = atol + (tol.atolEach?.[i] ?? 0) + rtol * Math.abs(e);
    if (!(Math.abs(a - e) <= bound) || !Number.isFinite(e)) {
      throw new ConformanceError(name, `element ${i}: got ${a}, expected ${e} (tolerance ${bound})`);
    }
  }
}

/**
 * Expects `run` to reject with an `errorClass` error: thrown at the call on
 * backends that read synchronously (CPU), at the next read on the others (WebGPU).
 */
async function expectRejects(name: string, errorClass: new (...args: never[]) => Error, run: () => Promise<unknown>): Promise<void> {
  let caught: unknown;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  if (caught === undefined) throw new ConformanceError(name, `expected ${errorClass.name}, nothing was thrown`);
  if (!(caught instanceof errorClass)) throw new ConformanceError(name, `expected ${errorClass.name}, got ${String(caught)}`);
}

function roundHalfEvenRef(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

const TRANSCENDENTAL = { rtol: 2e-5, atol: 2e-6 };
/** Division (1e-6) and pow (2e-6, exp2(y·log2 x) on GPUs) on float32: a few ulp. */
function binaryTol(op: BinaryOp): Tol {
  return { rtol: op === "pow" ? 2e-6 : 1e-6 };
}

/** The public function of a unary op (each op's function has the op's name). */
function unaryOp(op: UnaryOp, x: Tensor): Tensor {
  return elementwise[op](x);
}

/** The public function of a binary op (each op's function has the op's name). */
function binaryOp(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  return elementwise[op](a, b);
}

// ---- the cases -------------------------------------------------------------------------

type Case = ConformanceCase;

/** Builds the cases (called by conformanceCases, never at import). */
function buildCases(): Case[] {
  const cases: Case[] = [];
  function add1(name: string, run: (b: Backend) => Promise<void>): void {
    cases.push({ name, run });
  }

  // storage: upload, alloc, read, free
  for (const dtype of ["float32", "int32", "int8", "uint8", "uint32"] as const) {
    add1(`storage/upload-read-${dtype}`, async (b) => {
      const src = dtype === "float32" ? [0, -1.5, 3.25, 1e30, -1e-30] : dtype === "uint32" ? [0, 1, 4294967295, 123456789, 7] : dtype === "uint8" ? [0, 1, 255, 128, 7] : dtype === "int8" ? [0, -1, 127, -128, 7] : [0, -1, 2147483647, -2147483648, 7];
      await expectData(`storage/upload-read-${dtype}`, tensor(src, [5], dtype, b), [5], dtype, src.map((v) => stored(v, dtype)));
    });
  }
  add1("storage/alloc-zeros", async (b) => {
    await expectData("storage/alloc-zeros", zeros([3, 4], "float32", b), [3, 4], "float32", new Array<number>(12).fill(0));
    await expectData("storage/alloc-zeros", zeros([5], "int8", b), [5], "int8", [0, 0, 0, 0, 0]);
  });
  add1("storage/full-and-arange", async (b) => {
    await expectData("storage/full", full([2, 2], 7, "int32", b), [2, 2], "int32", [7, 7, 7, 7]);
    await expectData("storage/arange", arange(0, 5, 1, "float32", b), [5], "float32", [0, 1, 2, 3, 4]);
  });
  add1("storage/dispose-then-read-others", async (b) => {
    const x = tensor([1, 2, 3], [3], "float32", b);
    const y = add(x, 1);
    x.dispose();
    await expectData("storage/dispose", y, [3], "float32", [2, 3, 4]);
    let threw = false;
    try {
      await x.data();
    } catch {
      threw = true;
    }
    if (!threw) throw new ConformanceError("storage/dispose", "reading a disposed tensor did not throw");
  });
  add1("storage/empty", async (b) => {
    const e = zeros([0, 3], "float32", b);
    await expectData("storage/empty", e, [0, 3], "float32", []);
    await expectData("storage/empty-sum", sum(e, 0), [3], "float32", [0, 0, 0]);
    await expectData("storage/empty-add", add(e, 1), [0, 3], "float32", []);
  });

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
    forEachIndex([4, 3], ([i, j]) => exp_.push(Math.exp(data[(j as number) * 4 + (i as number)] as number)));
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
      forEachIndex([6, 4], ([i, j]) => expected.push(Math.fround(info.ref(xa[i as number] as number, xb[j as number] as number))));
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
      await expectData(`binary/${op}`, out, [6], "uint8", xa.map((v, i) => info.ref(v, xb[i] as number)));
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
    forEachIndex([3, 3], ([i, j]) => expected.push(Math.fround((data[((i as number) + 1) * 6 + 1 + 2 * (j as number)] as number) * (wv[i as number] as number))));
    await expectData("binary/strided", mul(v, w), [3, 3], "float32", expected);
    await expectData("binary/self-alias", add(base, base.transpose().transpose()), [4, 6], "float32", data.map((x) => Math.fround(2 * x)));
  });

  // where, cast, contiguous
  add1("where/broadcast", async (b) => {
    const cond = tensor([1, 0, 1], [3, 1], "uint8", b);
    const xa = values(4, 7);
    const out = where(cond, tensor(xa, [1, 4], "float32", b), full([3, 4], -1, "float32", b));
    const expected: number[] = [];
    forEachIndex([3, 4], ([i, j]) => expected.push(i === 1 ? -1 : (xa[j as number] as number)));
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
    forEachIndex([4, 2, 3], ([k, i, j]) => expected.push(data[(i as number) * 12 + (j as number) * 4 + (k as number)] as number));
    const c = x.contiguous();
    if (!c.isContiguous()) throw new ConformanceError("contiguous", "result is not contiguous");
    await expectData("contiguous/permuted", c, [4, 2, 3], "float32", expected);
    await expectData("contiguous/expanded", tensor([1, 2], [2, 1], "int32", b).expand([2, 3]).contiguous(), [2, 3], "int32", [1, 1, 1, 2, 2, 2]);
    await expectData("contiguous/narrowed", arange(0, 10, 1, "float32", b).narrow(0, 3, 4).contiguous(), [4], "float32", [3, 4, 5, 6]);
  });

  // reductions
  function refReduce(data: readonly number[], shape: readonly number[], axes: readonly number[], init: number, f: (acc: number, v: number) => number): number[] {
    const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const keptStrides = stridesOf(kept);
    const out = new Array<number>(kept.reduce((a, c) => a * c, 1)).fill(init);
    forEachIndex(shape, (idx, flat) => {
      let o = 0;
      idx.forEach((c, d) => {
        if (!axes.includes(d)) o += c * (keptStrides[d] as number);
      });
      out[o] = f(out[o] as number, data[flat] as number);
    });
    return out;
  }
  const nanMax = (a: number, v: number): number => (Number.isNaN(a) || Number.isNaN(v) ? NaN : Math.max(a, v));
  const nanMin = (a: number, v: number): number => (Number.isNaN(a) || Number.isNaN(v) ? NaN : Math.min(a, v));
  for (const axes of [[0], [1], [2], [0, 2], [0, 1, 2]] as const) {
    add1(`reduce/sum-prod-max-min-axes-${axes.join("")}`, async (b) => {
      const shape = [3, 4, 5];
      const data = values(60, 21 + axes.length, 0.5, 1.5);
      const x = tensor(data, shape, "float32", b);
      const outShape = shape.filter((_, d) => !(axes as readonly number[]).includes(d));
      const ax = [...axes];
      await expectData("reduce/sum", sum(x, ax), outShape, "float32", refReduce(data, shape, ax, 0, (a, v) => a + v), { rtol: 1e-5 });
      await expectData("reduce/prod", prod(x, ax), outShape, "float32", refReduce(data, shape, ax, 1, (a, v) => a * v), { rtol: 1e-4 });
      await expectData("reduce/max", max(x, ax), outShape, "float32", refReduce(data, shape, ax, -Infinity, nanMax));
      await expectData("reduce/min", min(x, ax), outShape, "float32", refReduce(data, shape, ax, Infinity, nanMin));
      await expectData("reduce/mean", mean(x, ax), outShape, "float32", refReduce(data, shape, ax, 0, (a, v) => a + v).map((s) => s / (60 / outShape.reduce((p, q) => p * q, 1))), { rtol: 1e-5 });
    });
  }
  add1("reduce/strided-input-and-keepdims", async (b) => {
    const data = values(20, 31);
    const x = tensor(data, [4, 5], "float32", b).transpose(); // [5, 4]
    const expected = [0, 1, 2, 3].map((i) => [0, 1, 2, 3, 4].reduce((s, j) => s + (data[i * 5 + j] as number), 0));
    await expectData("reduce/strided", sum(x, 0, { keepDims: true }), [1, 4], "float32", expected, { rtol: 1e-5, atol: 1e-6 });
  });
  add1("reduce/long-rows", async (b) => {
    const n = 3000;
    const data = values(2 * n, 41);
    const x = tensor(data, [2, n], "float32", b);
    const rows = [0, 1].map((r) => data.slice(r * n, (r + 1) * n));
    const absSum = rows.map((r) => r.reduce((s, v) => s + Math.abs(v), 0));
    await expectData("reduce/long-sum", sum(x, 1), [2], "float32", rows.map((r) => r.reduce((s, v) => s + v, 0)), { atolEach: absSum.map((s) => s * 1e-6) });
    await expectData("reduce/long-max", max(x, 1), [2], "float32", rows.map((r) => Math.max(...r)));
    await expectData("reduce/long-argmin", argmin(x, 1), [2], "int32", rows.map((r) => r.indexOf(Math.min(...r))));
    await expectData("reduce/long-sum-all", sum(x), [], "float32", [data.reduce((s, v) => s + v, 0)], { atol: absSum[0]! * 2e-6 + absSum[1]! * 2e-6 });
  });
  add1("reduce/nan-propagates-in-max-min", async (b) => {
    const x = tensor([1, NaN, 3, 4, 5, 6], [2, 3], "float32", b);
    await expectData("reduce/max-nan", max(x, 1), [2], "float32", [NaN, 6]);
    await expectData("reduce/min-nan", min(x, 1), [2], "float32", [NaN, 4]);
    const long = values(500, 3);
    long[321] = NaN;
    await expectData("reduce/max-nan-long", max(tensor(long, [500], "float32", b)), [], "float32", [NaN]);
  });
  add1("reduce/argmax-argmin-first-extreme-and-nan", async (b) => {
    const x = tensor([3, 1, 3, 1, 2, NaN, 7, NaN], [2, 4], "float32", b);
    await expectData("reduce/argmax", argmax(x, 1), [2], "int32", [0, 1]);
    await expectData("reduce/argmin", argmin(x, 1), [2], "int32", [1, 1]);
    await expectData("reduce/argmax-axis0", argmax(x, 0), [4], "int32", [0, 1, 1, 1]);
    await expectData("reduce/argmax-all", argmax(tensor([1, 5, 5, 0], [2, 2], "float32", b)), [], "int32", [1]);
    const ties = new Array<number>(300).fill(2);
    ties[250] = 1;
    await expectData("reduce/argmax-long-ties", argmax(tensor(ties, [300], "float32", b)), [], "int32", [0]);
    await expectData("reduce/argmin-long", argmin(tensor(ties, [300], "float32", b)), [], "int32", [250]);
  });
  add1("reduce/integer-sums", async (b) => {
    const i8 = ints(40, 51, -128, 128);
    const x = tensor(i8, [4, 10], "int8", b);
    const rowSums = [0, 1, 2, 3].map((r) => i8.slice(r * 10, r * 10 + 10).reduce((s, v) => s + v, 0));
    await expectData("reduce/sum-int8-to-int32", sum(x, 1), [4], "int32", rowSums);
    await expectData("reduce/max-int8", max(x, 1), [4], "int8", [0, 1, 2, 3].map((r) => Math.max(...i8.slice(r * 10, r * 10 + 10))));
    await expectData("reduce/sum-uint32", sum(tensor([4294967295, 2], [2], "uint32", b)), [], "uint32", [1]);
    await expectData("reduce/argmax-int32", argmax(tensor([-5, 9, 9, 2], [4], "int32", b)), [], "int32", [1]);
  });
  add1("reduce/variance-softmax", async (b) => {
    const data = values(12, 61);
    const x = tensor(data, [3, 4], "float32", b);
    const rows = [0, 1, 2].map((r) => data.slice(r * 4, r * 4 + 4));
    const vars = rows.map((r) => {
      const m = r.reduce((s, v) => s + v, 0) / 4;
      return r.reduce((s, v) => s + (v - m) ** 2, 0) / 3;
    });
    await expectData("reduce/variance", variance(x, 1), [3], "float32", vars, { rtol: 1e-5, atol: 1e-6 });
    const sm = rows.flatMap((r) => {
      const mx = Math.max(...r);
      const e = r.map((v) => Math.exp(v - mx));
      const s = e.reduce((p, q) => p + q, 0);
      return e.map((v) => v / s);
    });
    await expectData("reduce/softmax", softmax(x, 1), [3, 4], "float32", sm, TRANSCENDENTAL);
    await expectData("reduce/logSoftmax", logSoftmax(x, 1), [3, 4], "float32", sm.map(Math.log), { rtol: 1e-5, atol: 1e-5 });
  });

  // joins and indexing
  add1("join/concat-and-stack", async (b) => {
    const a = values(6, 71);
    const c = values(4, 72);
    const ta = tensor(a, [2, 3], "float32", b);
    const tc = tensor(c, [2, 2], "float32", b);
    await expectData("join/concat-axis1", concat([ta, tc], 1), [2, 5], "float32", [a[0], a[1], a[2], c[0], c[1], a[3], a[4], a[5], c[2], c[3]] as number[]);
    await expectData("join/concat-axis0-strided", concat([ta.transpose(), tc], 0), [5, 2], "float32", [a[0], a[3], a[1], a[4], a[2], a[5], c[0], c[1], c[2], c[3]] as number[]);
    await expectData("join/stack", stack([tensor([1, 2], [2], "int32", b), tensor([3, 4], [2], "int32", b)], 1), [2, 2], "int32", [1, 3, 2, 4]);
    await expectData("join/concat-uint8", concat([tensor([1], [1], "uint8", b), tensor([255, 2], [2], "uint8", b)]), [3], "uint8", [1, 255, 2]);
  });
  add1("index/gather-each-axis", async (b) => {
    const data = values(12, 81);
    const x = tensor(data, [3, 4], "float32", b);
    const idx1 = [3, 0, 1, 1, 2, 2];
    await expectData("index/gather-axis1", gather(x, 1, tensor(idx1, [3, 2], "int32", b)), [3, 2], "float32", idx1.map((j, p) => data[Math.floor(p / 2) * 4 + j] as number));
    const idx0 = [2, 0, 1, 0, 1, 1, 0, 2];
    await expectData("index/gather-axis0", gather(x, 0, tensor(idx0, [2, 4], "int32", b)), [2, 4], "float32", idx0.map((i, p) => data[i * 4 + (p % 4)] as number));
    await expectData("index/gather-transposed-x", gather(x.transpose(), 1, tensor([2, 0], [1, 2], "int32", b)), [1, 2], "float32", [data[8], data[0]] as number[]);
    await expectData("index/indexSelect", indexSelect(x, 0, tensor([2, 2, 0], [3], "int32", b)), [3, 4], "float32", [...data.slice(8, 12), ...data.slice(8, 12), ...data.slice(0, 4)]);
    await expectData("index/gather-int8", gather(tensor([-1, -2, -3], [3], "int8", b), 0, tensor([2, 1], [2], "int32", b)), [2], "int8", [-3, -2]);
  });
  add1("index/scatterAdd-duplicates", async (b) => {
    const idx = [0, 2, 2, 1, 1, 1];
    const src = values(6, 91);
    const expected = [0, 0, 0, 0, 0, 0, 0, 0];
    idx.forEach((j, p) => {
      const row = Math.floor(p / 3);
      expected[row * 4 + j] = (expected[row * 4 + j] as number) + (src[p] as number);
    });
    await expectData("index/scatterAdd-axis1", scatterAdd([2, 4], 1, tensor(idx, [2, 3], "int32", b), tensor(src, [2, 3], "float32", b)), [2, 4], "float32", expected, { rtol: 1e-6, atol: 1e-6 });
    const e0 = new Array<number>(6).fill(0);
    [1, 1, 0].forEach((i, p) => (e0[i * 2 + (p % 2)] = (e0[i * 2 + (p % 2)] as number) + p + 1));
    await expectData("index/scatterAdd-axis0", scatterAdd([3, 2], 0, tensor([1, 1, 0], [3, 1], "int32", b), tensor([1, 2, 3], [3, 1], "float32", b)), [3, 2], "float32", [3, 0, 3, 0, 0, 0]);
    await expectData("index/scatterAdd-int32", scatterAdd([3], 0, tensor([2, 2, 0], [3], "int32", b), tensor([5, 6, 7], [3], "int32", b)), [3], "int32", [7, 0, 11]);
  });

  // matmul
  function refMatmul(a: readonly number[], c: readonly number[], batch: number, m: number, k: number, n: number, bBatched: boolean): { out: number[]; bound: number[] } {
    const out: number[] = [];
    const bound: number[] = [];
    for (let z = 0; z < batch; z++) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          let sa = 0;
          for (let p = 0; p < k; p++) {
            const x = a[z * m * k + i * k + p] as number;
            const y = c[(bBatched ? z * k * n : 0) + p * n + j] as number;
            s += x * y;
            sa += Math.abs(x * y);
          }
          out.push(s);
          bound.push(sa * 4e-6 * Math.max(1, Math.log2(k)));
        }
      }
    }
    return { out, bound };
  }
  for (const [m, k, n] of [[1, 1, 1], [3, 5, 2], [37, 53, 29], [64, 64, 64], [70, 130, 90], [1, 257, 33], [33, 19, 1]] as const) {
    add1(`matmul/${m}x${k}x${n}`, async (b) => {
      const a = values(m * k, m * 1000 + k);
      const c = values(k * n, n * 1000 + k);
      const { out, bound } = refMatmul(a, c, 1, m, k, n, false);
      await expectData(`matmul/${m}x${k}x${n}`, matmul(tensor(a, [m, k], "float32", b), tensor(c, [k, n], "float32", b)), [m, n], "float32", out, { atolEach: bound, atol: 1e-6 });
    });
  }
  add1("matmul/batched-broadcast-and-transposed", async (b) => {
    const [B, m, k, n] = [3, 20, 17, 24];
    const a = values(B * m * k, 101);
    const c = values(k * n, 102);
    const shared = refMatmul(a, c, B, m, k, n, false);
    await expectData("matmul/broadcast-b", matmul(tensor(a, [B, m, k], "float32", b), tensor(c, [k, n], "float32", b)), [B, m, n], "float32", shared.out, { atolEach: shared.bound, atol: 1e-6 });
    const cb = values(B * k * n, 103);
    const per = refMatmul(a, cb, B, m, k, n, true);
    // b given as the transpose of a [B, n, k] tensor: strided operand
    const cbT: number[] = [];
    forEachIndex([B, n, k], ([z, j, p]) => cbT.push(cb[(z as number) * k * n + (p as number) * n + (j as number)] as number));
    const bt = tensor(cbT, [B, n, k], "float32", b).transpose(1, 2);
    await expectData("matmul/batched-transposed-b", matmul(tensor(a, [B, m, k], "float32", b), bt), [B, m, n], "float32", per.out, { atolEach: per.bound, atol: 1e-6 });
    const a4 = values(2 * 3 * 4 * 5, 104);
    const b4 = values(3 * 5 * 2, 105);
    const expected: number[] = [];
    for (let p = 0; p < 2; p++) {
      for (let q = 0; q < 3; q++) {
        const r = refMatmul(a4.slice((p * 3 + q) * 20, (p * 3 + q + 1) * 20), b4.slice(q * 10, q * 10 + 10), 1, 4, 5, 2, false);
        expected.push(...r.out);
      }
    }
    await expectData("matmul/4d-batch-broadcast", matmul(tensor(a4, [2, 3, 4, 5], "float32", b), tensor(b4, [1, 3, 5, 2], "float32", b)), [2, 3, 4, 2], "float32", expected, { rtol: 1e-5, atol: 1e-5 });
    await expectData("matmul/vector-vector", matmul(tensor([1, 2, 3], [3], "float32", b), tensor([4, 5, 6], [3], "float32", b)), [], "float32", [32]);
  });

  // packed ternary matmul (Backend.ternaryMatmul, where the backend has it)
  function refTernary(x: readonly number[], xScale: readonly number[], t: readonly number[], wScale: readonly number[], m: number, n: number, k: number, gs: number): { out: number[]; bound: number[] } {
    const G = Math.ceil(k / gs);
    const out: number[] = [];
    const bound: number[] = [];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let y = 0;
        let ya = 0;
        for (let g = 0; g < G; g++) {
          let acc = 0;
          let aa = 0;
          for (let p = g * gs; p < Math.min(k, (g + 1) * gs); p++) {
            acc += (t[j * k + p] as number) * (x[i * k + p] as number);
            aa += Math.abs(x[i * k + p] as number);
          }
          y += (wScale[j * G + g] as number) * acc;
          ya += Math.abs(wScale[j * G + g] as number) * aa;
        }
        out.push(y / (xScale[i] as number));
        bound.push((ya / Math.abs(xScale[i] as number)) * 2e-6);
      }
    }
    return { out, bound };
  }
  for (const [xDtype, m, n, k, gs] of [
    ["int8", 1, 5, 40, 40],
    ["int8", 3, 9, 100, 32],
    ["int8", 4, 7, 100, 10],
    ["int8", 2, 33, 512, 128],
    ["float32", 1, 6, 50, 50],
    ["float32", 5, 8, 96, 16],
    ["float32", 2, 3, 30, 7],
  ] as const) {
    add1(`ternary/${xDtype}-m${m}-n${n}-k${k}-g${gs}`, async (b) => {
      if (b.ternaryMatmul === undefined) return;
      const seed = m * 7 + n * 13 + k;
      const x = xDtype === "int8" ? ints(m * k, seed, -127, 128) : values(m * k, seed);
      const t = ints(n * k, seed + 1, -1, 2);
      const xScale = xDtype === "int8" ? values(m, seed + 2, 0.5, 3) : new Array<number>(m).fill(1);
      const G = Math.ceil(k / gs);
      const wScale = values(n * G, seed + 3, 0.01, 0.2);
      const words = packTernaryArray(t, n, k);
      const tx = tensor(x, [m, k], xDtype, b);
      const ts = tensor(xScale, [m], "float32", b);
      const tw = tensor(words, [n, words.length / n], "uint32", b);
      const tws = tensor(wScale, [n, G], "float32", b);
      const storage = b.ternaryMatmul({ x: tx.view, xScale: ts.view, w: tw.view, wScale: tws.view, k, groupSize: gs });
      const y = fromStorage(storage, [m, n], "float32");
      const { out, bound } = refTernary(x, xScale, t, wScale, m, n, k, gs);
      await expectData(`ternary/${xDtype}`, y, [m, n], "float32", out, { atolEach: bound, atol: 1e-6 });
    });
  }
  add1("ternary/strided-activations", async (b) => {
    if (b.ternaryMatmul === undefined) return;
    const [m, n, k] = [3, 4, 48];
    const x = ints(m * k, 7, -127, 128);
    const xT: number[] = [];
    forEachIndex([k, m], ([p, i]) => xT.push(x[(i as number) * k + (p as number)] as number));
    const tx = tensor(xT, [k, m], "int8", b).transpose(); // [m, k], strided
    const t = ints(n * k, 8, -1, 2);
    const xScale = [1, 2, 4];
    const wScale = [0.5, 0.25, 1, 2];
    const w = packTernaryArray(t, n, k);
    const storage = b.ternaryMatmul({
      x: tx.view,
      xScale: tensor(xScale, [m], "float32", b).view,
      w: tensor(w, [n, 3], "uint32", b).view,
      wScale: tensor(wScale, [n, 1], "float32", b).view,
      k,
      groupSize: k,
    });
    const y = fromStorage(storage, [m, n], "float32");
    const { out, bound } = refTernary(x, xScale, t, wScale, m, n, k, k);
    await expectData("ternary/strided", y, [m, n], "float32", out, { atolEach: bound, atol: 1e-6 });
  });
  // errors: the same typed error on every backend, and the backend usable afterwards
  add1("errors/gather-index-out-of-range", async (b) => {
    const x = tensor([1, 2, 3, 4], [2, 2], "float32", b);
    await expectRejects("errors/gather-high", ArgumentError, () => gather(x, 1, tensor([0, 2, 1, 0], [2, 2], "int32", b)).data());
    await expectRejects("errors/gather-negative", ArgumentError, () => gather(x, 0, tensor([-1, 0], [1, 2], "int32", b)).data());
    await expectData("errors/gather-after", gather(x, 1, tensor([1, 0], [2, 1], "int32", b)), [2, 1], "float32", [2, 3]);
  });
  add1("errors/indexSelect-index-out-of-range", async (b) => {
    const x = tensor([1, 2, 3, 4, 5, 6], [3, 2], "float32", b);
    await expectRejects("errors/indexSelect", ArgumentError, () => indexSelect(x, 0, tensor([0, 3], [2], "int32", b)).data());
    await expectData("errors/indexSelect-after", indexSelect(x, 0, tensor([2], [1], "int32", b)), [1, 2], "float32", [5, 6]);
  });
  add1("errors/scatterAdd-index-out-of-range", async (b) => {
    const src = tensor([1, 2, 3], [3], "float32", b);
    await expectRejects("errors/scatterAdd", ArgumentError, () => scatterAdd([2], 0, tensor([0, 1, 2], [3], "int32", b), src).data());
    await expectData("errors/scatterAdd-after", scatterAdd([2], 0, tensor([0, 1, 0], [3], "int32", b), src), [2], "float32", [4, 2]);
  });
  add1("errors/packTernary-invalid-value", async (b) => {
    await expectRejects("errors/packTernary-2", ArgumentError, () => packTernary(tensor([1, 0, 2, -1], [1, 4], "float32", b)).words.data());
    await expectRejects("errors/packTernary-half", ArgumentError, () => packTernary(tensor([0.5, 0], [1, 2], "float32", b)).words.data());
    await expectRejects("errors/packTernary-nan", ArgumentError, () => packTernary(tensor([NaN, 0], [1, 2], "float32", b)).words.data());
    const ok = packTernary(tensor([1, 0, -1], [1, 3], "float32", b));
    await expectData("errors/packTernary-after", ok.words, [1, 1], "uint32", Array.from(packTernaryArray([1, 0, -1], 1, 3)));
  });
  return cases;
}

// float64, where the backend holds it
const FLOAT64_CASES: Case[] = [
  {
    name: "float64/upload-add-sum",
    run: async (b) => {
      const data = [0.1, 0.2, 1e-300, 1 / 3];
      const x = tensor(data, [4], "float64", b);
      await expectData("float64/add", add(x, x), [4], "float64", data.map((v) => v + v));
      await expectData("float64/sum", sum(x), [], "float64", [data.reduce((s, v) => s + v, 0)], { rtol: 1e-15 });
    },
  },
  // every unary op in float64 follows its float64 reference (erf included: no float32 shortcut)
  ...UNARY_OP_NAMES.map((op): Case => ({
    name: `float64/unary-${op}`,
    run: async (b) => {
      const info: UnaryOpInfo = UNARY_OPS[op];
      const data = [...info.samples, 0.1, -1 / 3, 0.7];
      const x = tensor(data, [data.length], "float64", b);
      await expectData(`float64/${op}`, unaryOp(op, x), [data.length], "float64", data.map((v) => info.ref(v)), { rtol: 1e-15 });
    },
  })),
];

/**
 * The conformance cases, in a fixed order. Each creates its tensors on the
 * backend it is given, so run them with the backend under test.
 *
 * @example
 * ```ts
 * for (const c of conformanceCases({ float64: false })) await c.run(gpu); // throws ConformanceError on a mismatch
 * ```
 */
export function conformanceCases(options: ConformanceOptions = {}): readonly ConformanceCase[] {
  const cases = buildCases();
  return options.float64 === false ? cases : [...cases, ...FLOAT64_CASES];
}
