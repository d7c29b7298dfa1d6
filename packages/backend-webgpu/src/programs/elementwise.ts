// Unary and binary elementwise programs: the WGSL expression of each op per
// element type, with the CPU backend's rules (round half to even, sign keeps 0,
// max/min propagate NaN, comparisons write 0/1, JS pow). Runs via map.ts.
import { type BinaryOp, DTypeError, type Layout, type UnaryOp } from "@bitnet-quantize/tensor";
import { type GpuDType, wgslTypeOf } from "../gpu-dtype.js";
import type { KernelLimits, Program } from "../program.js";
import { mapProgram } from "./map.js";
import { wrapTo } from "./wrap.js";

const FLOAT_ONLY: ReadonlySet<UnaryOp> = new Set<UnaryOp>(["exp", "log", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid"]);

/** WGSL helpers of the float unary and binary expressions. */
const HELPERS = /* wgsl */ `
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

function unaryExpr(op: UnaryOp, dtype: GpuDType, x: string): string {
  const t = wgslTypeOf(dtype);
  if (t === "f32") {
    switch (op) {
      case "neg":
        return `-${x}`;
      case "abs":
        return `abs(${x})`;
      case "sign":
        return `select(select(${x}, -1.0, ${x} < 0.0), 1.0, ${x} > 0.0)`;
      case "exp":
        return `select(exp(${x}), ${x}, isNan(${x}))`;
      case "log":
        return `safeLog(${x})`;
      case "sqrt":
        return `safeSqrt(${x})`;
      case "rsqrt":
        return `safeRsqrt(${x})`;
      case "sin":
        return `sin(${x})`;
      case "cos":
        return `cos(${x})`;
      case "tanh":
        return `safeTanh(${x})`;
      case "sigmoid":
        return `sigmoid(${x})`;
      case "relu":
        return `select(select(0.0, ${x}, ${x} > 0.0), ${x}, isNan(${x}))`;
      case "round":
        return `round(${x})`;
      case "floor":
        return `floor(${x})`;
      case "ceil":
        return `ceil(${x})`;
    }
  }
  if (FLOAT_ONLY.has(op)) throw new DTypeError(`webgpu unary: ${op} needs a float32 operand, got ${dtype}`);
  const zero = t === "i32" ? "0i" : "0u";
  const one = t === "i32" ? "1i" : "1u";
  let e: string;
  switch (op) {
    case "neg":
      e = t === "i32" ? `-${x}` : `0u - ${x}`;
      break;
    case "abs":
      e = t === "i32" ? `abs(${x})` : x;
      break;
    case "sign":
      e = t === "i32" ? `select(select(0i, -1i, ${x} < 0i), 1i, ${x} > 0i)` : `select(${zero}, ${one}, ${x} > 0u)`;
      break;
    case "relu":
      e = t === "i32" ? `max(${x}, 0i)` : x;
      break;
    default: // round, floor, ceil: integers are already integral
      e = x;
  }
  return wrapTo(dtype, e);
}

const COMPARE: Partial<Record<BinaryOp, string>> = { eq: "==", ne: "!=", lt: "<", gt: ">", le: "<=", ge: ">=" };

function binaryExpr(op: BinaryOp, dtype: GpuDType, a: string, b: string): string {
  const t = wgslTypeOf(dtype);
  const cmp = COMPARE[op];
  if (cmp !== undefined) {
    if (t !== "f32") return `select(0u, 1u, ${a} ${cmp} ${b})`;
    // NaN compares unequal to everything (tested on the bits, not trusted to the compiler)
    const anyNan = `(isNan(${a}) || isNan(${b}))`;
    return op === "ne" ? `select(0u, 1u, ${anyNan} || ${a} != ${b})` : `select(0u, 1u, !${anyNan} && ${a} ${cmp} ${b})`;
  }
  if (t === "f32") {
    switch (op) {
      case "add":
        return `${a} + ${b}`;
      case "sub":
        return `${a} - ${b}`;
      case "mul":
        return `${a} * ${b}`;
      case "div":
        return `${a} / ${b}`;
      case "pow":
        return `powF(${a}, ${b})`;
      case "maximum":
        return `select(max(${a}, ${b}), nan(), isNan(${a}) || isNan(${b}))`;
      case "minimum":
        return `select(min(${a}, ${b}), nan(), isNan(${a}) || isNan(${b}))`;
      default:
        throw new DTypeError(`webgpu binary: unknown op ${op}`);
    }
  }
  const zero = t === "i32" ? "0i" : "0u";
  let e: string;
  switch (op) {
    case "add":
      e = `${a} + ${b}`;
      break;
    case "sub":
      e = `${a} - ${b}`;
      break;
    case "mul":
      e = `${a} * ${b}`;
      break;
    case "div": // as JS then a typed-array store: x/0 is ±Infinity or NaN, which store as 0
      e = `select(${a} / ${b}, ${zero}, ${b} == ${zero})`;
      break;
    case "pow":
      e = t === "i32" ? `powI(${a}, ${b})` : `powU(${a}, ${b})`;
      break;
    case "maximum":
      e = `max(${a}, ${b})`;
      break;
    default:
      e = `min(${a}, ${b})`;
  }
  return wrapTo(dtype, e);
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
    { name: `unary-${op}-${dtype}`, inputs: [{ type: t, layout }], outType: t, expr: ([x]) => unaryExpr(op, dtype, x as string), helpers: HELPERS },
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
  const isCompare = COMPARE[op] !== undefined;
  return mapProgram(
    {
      name: `binary-${op}-${dtype}-${outDtype}`,
      inputs: [
        { type: t, layout: a },
        { type: t, layout: b },
      ],
      outType: wgslTypeOf(outDtype),
      expr: ([x, y]) => {
        const e = binaryExpr(op, dtype, x as string, y as string);
        return isCompare ? wrapTo(outDtype, e) : e;
      },
      helpers: HELPERS,
    },
    a.shape,
    limits,
  );
}
