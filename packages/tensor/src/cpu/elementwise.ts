// CPU elementwise kernels over row-major typed arrays of equal length, one
// loop per op (each calls its op's scalar reference from UNARY_OPS /
// BINARY_OPS through a constant, so that each loop stays monomorphic and the
// reference inlines). The tables below are keyed by the op unions: an op
// without a loop fails to compile.
import type { BinaryOp, UnaryOp } from "../backend.js";
import type { TypedArray } from "../dtype.js";
import { BINARY_OPS as B } from "../ops/binary-ops.js";
import { UNARY_OPS as U } from "../ops/unary-ops.js";

type UnaryLoop = (x: TypedArray, out: TypedArray, n: number) => void;
type BinaryLoop = (a: TypedArray, b: TypedArray, out: TypedArray, n: number) => void;

const UNARY_LOOPS = {
  neg: (x, out, n) => {
    const f = U.neg.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  abs: (x, out, n) => {
    const f = U.abs.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  sign: (x, out, n) => {
    const f = U.sign.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  exp: (x, out, n) => {
    const f = U.exp.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  log: (x, out, n) => {
    const f = U.log.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  sqrt: (x, out, n) => {
    const f = U.sqrt.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  rsqrt: (x, out, n) => {
    const f = U.rsqrt.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  sin: (x, out, n) => {
    const f = U.sin.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  cos: (x, out, n) => {
    const f = U.cos.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  tanh: (x, out, n) => {
    const f = U.tanh.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  sigmoid: (x, out, n) => {
    const f = U.sigmoid.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  erf: (x, out, n) => {
    // float64 tensors get the float64-exact reference; others the float32 formula
    const f = out instanceof Float64Array ? U.erf.ref : U.erf.float32;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  relu: (x, out, n) => {
    const f = U.relu.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  round: (x, out, n) => {
    const f = U.round.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  floor: (x, out, n) => {
    const f = U.floor.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
  ceil: (x, out, n) => {
    const f = U.ceil.ref;
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
  },
} satisfies Record<UnaryOp, UnaryLoop>;

const BINARY_LOOPS = {
  add: (a, b, out, n) => {
    const f = B.add.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
  sub: (a, b, out, n) => {
    const f = B.sub.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
  mul: (a, b, out, n) => {
    const f = B.mul.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
  div: (a, b, out, n) => {
    const f = B.div.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
  pow: (a, b, out, n) => {
    const f = B.pow.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
  maximum: (a, b, out, n) => {
    const f = B.maximum.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
  minimum: (a, b, out, n) => {
    const f = B.minimum.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
  eq: (a, b, out, n) => {
    const f = B.eq.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
  ne: (a, b, out, n) => {
    const f = B.ne.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
  lt: (a, b, out, n) => {
    const f = B.lt.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
  gt: (a, b, out, n) => {
    const f = B.gt.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
  le: (a, b, out, n) => {
    const f = B.le.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
  ge: (a, b, out, n) => {
    const f = B.ge.ref;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  },
} satisfies Record<BinaryOp, BinaryLoop>;

/** `out[i] = op(x[i])` for i < out.length. */
export function unaryKernel(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  UNARY_LOOPS[op](x, out, out.length);
}

/** `out[i] = op(a[i], b[i])` for i < out.length. Comparisons write 1 or 0. */
export function binaryKernel(op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray): void {
  BINARY_LOOPS[op](a, b, out, out.length);
}
