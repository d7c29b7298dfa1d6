// Unary and binary elementwise programs: the WGSL expression of each op per
// element type, with the CPU backend's rules (round half to even, sign keeps 0,
// max/min propagate NaN, comparisons write 0/1, JS pow). Runs via map.ts.
import { BINARY_OPS, type BinaryOp, DTypeError, type Layout, type UnaryOp, isFloatOnlyUnary } from "@bitnet-quantize/tensor";
import { type GpuDType, wgslTypeOf } from "../gpu-dtype.js";
import type { KernelLimits, Program } from "../program.js";
import { mapProgram } from "./map.js";
import { wrapTo } from "./wrap.js";

/** erfc(0) of the erf approximation is exp(ΣP); this shift makes it exactly 1. */
const ERFC_SHIFT = -(1.00002368 + 0.37409196 + 0.09678418 - 0.18628806 + 0.27886807 - 1.13520398 + 1.48851587 - 0.82215223 + 0.17087277);

/** WGSL helpers of the float unary and binary expressions. */
const HELPERS = /* wgsl */ `
const ERFC_SHIFT: f32 = ${ERFC_SHIFT.toExponential(12)};
fn safeLog(x: f32) -> f32 {
  if (isNan(x) || x < 0.0) { return nan(); }
  if (x == 0.0) { return negInf(); }
  if (x == posInf()) { return x; }
  return log(x);
}
fn safeSqrt(x: f32) -> f32 {
  if (isNan(x) || x < 0.0) { return nan(); }
  if (x == posInf()) { return x; }
  return sqrt(x);
}
fn safeRsqrt(x: f32) -> f32 {
  if (isNan(x) || x < 0.0) { return nan(); }
  if (x == 0.0) { return select(posInf(), negInf(), bitcast<u32>(x) != 0u); }
  if (x == posInf()) { return 0.0; }
  return 1.0 / sqrt(x);
}
fn safeTanh(x: f32) -> f32 {
  if (isNan(x)) { return x; }
  return tanh(clamp(x, -15.0, 15.0));
}
fn sigmoid(x: f32) -> f32 {
  if (isNan(x)) { return x; }
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
// erf by Numerical Recipes' erfc approximation (absolute error below 1.2e-7),
// scaled so that erf(0) = 0 exactly: the formula of erf32 in the tensor package.
fn erfF(x: f32) -> f32 {
  if (isNan(x)) { return x; }
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let p = t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  let r = 1.0 - t * exp(p - z * z + ERFC_SHIFT);
  return select(r, -r, x < 0.0);
}
fn isOddInteger(y: f32) -> bool {
  return abs(y) < 16777216.0 && floor(y) == y && (i32(y) & 1) == 1;
}
// JS ** on float32 operands.
fn powF(x: f32, y: f32) -> f32 {
  if (isNan(y)) { return nan(); }
  if (y == 0.0) { return 1.0; }
  if (isNan(x)) { return nan(); }
  let yInt = floor(y) == y;
  if (x == 0.0) {
    let negZero = bitcast<u32>(x) != 0u;
    if (y > 0.0) { return select(0.0, x, isOddInteger(y)); }
    if (negZero && isOddInteger(y)) { return negInf(); }
    return posInf();
  }
  if (x < 0.0 && !yInt && abs(y) != posInf()) { return nan(); }
  let ax = abs(x);
  if (ax == 1.0 && abs(y) == posInf()) { return nan(); }
  var r: f32;
  if (abs(y) == posInf()) {
    r = select(select(0.0, posInf(), ax > 1.0), select(posInf(), 0.0, ax > 1.0), y < 0.0);
  } else if (ax == posInf()) {
    r = select(posInf(), 0.0, y < 0.0);
  } else if (yInt && abs(y) <= 64.0) {
    // small integer exponents by repeated squaring: exact where JS is exact
    var e = u32(abs(y));
    var b = ax;
    r = 1.0;
    loop {
      if ((e & 1u) == 1u) { r = r * b; }
      e = e >> 1u;
      if (e == 0u) { break; }
      b = b * b;
    }
    if (y < 0.0) { r = 1.0 / r; }
  } else {
    r = exp2(y * log2(ax));
  }
  if (x < 0.0 && isOddInteger(y)) { r = -r; }
  return r;
}
fn powI(x: i32, y: i32) -> i32 {
  if (y < 0) {
    if (x == 1) { return 1; }
    if (x == -1) { return select(1, -1, (y & 1) == 1); }
    return 0; // |x|^y < 1 truncates to 0 (x = 0 gives Infinity, which wraps to 0)
  }
  var r = 1;
  var b = x;
  var e = u32(y);
  loop {
    if (e == 0u) { break; }
    if ((e & 1u) == 1u) { r = r * b; }
    e = e >> 1u;
    b = b * b;
  }
  return r;
}
fn powU(x: u32, y: u32) -> u32 {
  var r = 1u;
  var b = x;
  var e = y;
  loop {
    if (e == 0u) { break; }
    if ((e & 1u) == 1u) { r = r * b; }
    e = e >> 1u;
    b = b * b;
  }
  return r;
}`;

/**
 * The WGSL of one unary op: `f32` on float32 operands, `int` on i32/u32 ones
 * (absent for float-only ops, which `UNARY_OPS` marks; its result is wrapped
 * to the dtype's range by the caller).
 */
interface UnaryWgsl {
  readonly f32: (x: string) => string;
  readonly int?: (x: string, t: "i32" | "u32") => string;
}

/** Every unary op's WGSL, keyed by UnaryOp: an op without an entry fails to compile. */
const UNARY_WGSL = {
  neg: { f32: (x) => `-${x}`, int: (x, t) => (t === "i32" ? `-${x}` : `0u - ${x}`) },
  abs: { f32: (x) => `abs(${x})`, int: (x, t) => (t === "i32" ? `abs(${x})` : x) },
  sign: {
    f32: (x) => `select(select(${x}, -1.0, ${x} < 0.0), 1.0, ${x} > 0.0)`,
    int: (x, t) => (t === "i32" ? `select(select(0i, -1i, ${x} < 0i), 1i, ${x} > 0i)` : `select(0u, 1u, ${x} > 0u)`),
  },
  exp: { f32: (x) => `select(exp(${x}), ${x}, isNan(${x}))` },
  log: { f32: (x) => `safeLog(${x})` },
  sqrt: { f32: (x) => `safeSqrt(${x})` },
  rsqrt: { f32: (x) => `safeRsqrt(${x})` },
  sin: { f32: (x) => `sin(${x})` },
  cos: { f32: (x) => `cos(${x})` },
  tanh: { f32: (x) => `safeTanh(${x})` },
  sigmoid: { f32: (x) => `sigmoid(${x})` },
  erf: { f32: (x) => `erfF(${x})` },
  relu: { f32: (x) => `select(select(0.0, ${x}, ${x} > 0.0), ${x}, isNan(${x}))`, int: (x, t) => (t === "i32" ? `max(${x}, 0i)` : x) },
  // integers are already integral
  round: { f32: (x) => `round(${x})`, int: (x) => x },
  floor: { f32: (x) => `floor(${x})`, int: (x) => x },
  ceil: { f32: (x) => `ceil(${x})`, int: (x) => x },
} satisfies Record<UnaryOp, UnaryWgsl>;

function unaryExpr(op: UnaryOp, dtype: GpuDType, x: string): string {
  const t = wgslTypeOf(dtype);
  const entry: UnaryWgsl = UNARY_WGSL[op];
  if (t === "f32") return entry.f32(x);
  if (isFloatOnlyUnary(op) || entry.int === undefined) throw new DTypeError(`webgpu unary: ${op} needs a float32 operand, got ${dtype}`);
  return wrapTo(dtype, entry.int(x, t));
}

/**
 * The WGSL of one binary op on operands of one WGSL type: `f32` for float32,
 * `int` for i32/u32 (wrapped to the dtype's range by the caller unless the op
 * is a comparison, which writes u32 0/1).
 */
interface BinaryWgsl {
  readonly f32: (a: string, b: string) => string;
  readonly int: (a: string, b: string, t: "i32" | "u32") => string;
}

/** A comparison: NaN compares unequal to everything (tested on the bits, not trusted to the compiler). */
function compare(cmp: string): BinaryWgsl {
  return {
    f32: (a, b) => {
      const anyNan = `(isNan(${a}) || isNan(${b}))`;
      return cmp === "!=" ? `select(0u, 1u, ${anyNan} || ${a} != ${b})` : `select(0u, 1u, !${anyNan} && ${a} ${cmp} ${b})`;
    },
    int: (a, b) => `select(0u, 1u, ${a} ${cmp} ${b})`,
  };
}

/** Every binary op's WGSL, keyed by BinaryOp: an op without an entry fails to compile. */
const BINARY_WGSL = {
  add: { f32: (a, b) => `${a} + ${b}`, int: (a, b) => `${a} + ${b}` },
  sub: { f32: (a, b) => `${a} - ${b}`, int: (a, b) => `${a} - ${b}` },
  mul: { f32: (a, b) => `${a} * ${b}`, int: (a, b) => `${a} * ${b}` },
  // as JS then a typed-array store: x/0 is ±Infinity or NaN, which store as 0
  div: { f32: (a, b) => `${a} / ${b}`, int: (a, b, t) => `select(${a} / ${b}, ${t === "i32" ? "0i" : "0u"}, ${b} == ${t === "i32" ? "0i" : "0u"})` },
  pow: { f32: (a, b) => `powF(${a}, ${b})`, int: (a, b, t) => (t === "i32" ? `powI(${a}, ${b})` : `powU(${a}, ${b})`) },
  maximum: { f32: (a, b) => `select(max(${a}, ${b}), nan(), isNan(${a}) || isNan(${b}))`, int: (a, b) => `max(${a}, ${b})` },
  minimum: { f32: (a, b) => `select(min(${a}, ${b}), nan(), isNan(${a}) || isNan(${b}))`, int: (a, b) => `min(${a}, ${b})` },
  eq: compare("=="),
  ne: compare("!="),
  lt: compare("<"),
  gt: compare(">"),
  le: compare("<="),
  ge: compare(">="),
} satisfies Record<BinaryOp, BinaryWgsl>;

function binaryExpr(op: BinaryOp, dtype: GpuDType, a: string, b: string): string {
  const t = wgslTypeOf(dtype);
  const entry: BinaryWgsl = BINARY_WGSL[op];
  if (t === "f32") return entry.f32(a, b);
  const e = entry.int(a, b, t);
  return BINARY_OPS[op].dtype === "compare" ? e : wrapTo(dtype, e);
}

/**
 * The program for `out[i] = op(x[i])`, x of `dtype` seen through `layout`.
 *
 * @example
 * ```ts
 * const { program, meta } = unaryProgram("exp", "float32", contiguousLayout([4]), limits);
 * ```
 */
export function unaryProgram(op: UnaryOp, dtype: GpuDType, layout: Layout, limits: KernelLimits): { program: Program; meta: Uint32Array } {
  const t = wgslTypeOf(dtype);
  return mapProgram(
    { name: `unary-${op}-${dtype}`, inputs: [{ type: t, layout }], outType: t, expr: ([x]) => unaryExpr(op, dtype, x), helpers: HELPERS },
    layout.shape,
    limits,
  );
}

/**
 * The program for `out[i] = op(a[i], b[i])`: a and b of `dtype` with equal
 * shapes (broadcast operands have stride 0); comparisons write uint8 0/1.
 *
 * @example
 * ```ts
 * const { program, meta } = binaryProgram("add", "float32", la, lb, "float32", limits);
 * ```
 */
export function binaryProgram(
  op: BinaryOp,
  dtype: GpuDType,
  a: Layout,
  b: Layout,
  outDtype: GpuDType,
  limits: KernelLimits,
): { program: Program; meta: Uint32Array } {
  const t = wgslTypeOf(dtype);
  const isCompare = BINARY_OPS[op].dtype === "compare";
  return mapProgram(
    {
      name: `binary-${op}-${dtype}-${outDtype}`,
      inputs: [
        { type: t, layout: a },
        { type: t, layout: b },
      ],
      outType: wgslTypeOf(outDtype),
      expr: ([x, y]) => {
        const e = binaryExpr(op, dtype, x, y);
        return isCompare ? wrapTo(outDtype, e) : e;
      },
      helpers: HELPERS,
    },
    a.shape,
    limits,
  );
}
