// Elementwise ops with NumPy/PyTorch broadcasting and dtype promotion. Inputs
// are promoted, cast and expanded here, so backends see equal shapes and dtypes.
import type { BinaryOp, UnaryOp } from "../backend.js";
import { type DType, allocTyped, isFloat, promoteTypes, promoteWithScalar } from "../dtype.js";
import { ArgumentError } from "../errors.js";
import { broadcastShapes } from "../shape.js";
import { BINARY_OPS } from "./binary-ops.js";
import { UNARY_OPS } from "./unary-ops.js";
import { type Tensor, type TensorLike, fromStorage, sameBackend } from "../tensor.js";

/** A number as a 0-d tensor on `like`'s backend, in `dtype`. */
export function scalarLike(value: number, like: Tensor, dtype: DType): Tensor {
  const data = allocTyped(dtype, 1);
  data[0] = value;
  return fromStorage(like.backend.upload(data, dtype), [], dtype);
}

function binaryOp(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  if (typeof a === "number" && typeof b === "number") {
    throw new ArgumentError(`${op}: at least one operand must be a tensor, got two numbers`);
  }
  let dtype: DType;
  if (typeof a === "number") dtype = promoteWithScalar((b as Tensor).dtype, a);
  else if (typeof b === "number") dtype = promoteWithScalar(a.dtype, b);
  else dtype = promoteTypes(a.dtype, b.dtype);
  const rule = BINARY_OPS[op].dtype;
  if (rule === "float" && !isFloat(dtype)) dtype = "float32"; // true division, as torch.div
  const ta = typeof a === "number" ? scalarLike(a, b as Tensor, dtype) : a.cast(dtype);
  const tb = typeof b === "number" ? scalarLike(b, ta, dtype) : b.cast(dtype);
  const backend = sameBackend(op, ta, tb);
  const shape = broadcastShapes(ta.shape, tb.shape, op);
  const outDtype: DType = rule === "compare" ? "uint8" : dtype;
  const storage = backend.binary(op, ta.expand(shape).view, tb.expand(shape).view, outDtype);
  return fromStorage(storage, shape, outDtype);
}

function unaryOp<D extends DType>(op: UnaryOp, x: Tensor<D>): Tensor<D>;
function unaryOp(op: UnaryOp, x: Tensor): Tensor {
  const rule = UNARY_OPS[op].dtype;
  const input = rule === "float" && !isFloat(x.dtype) ? x.cast("float32") : x;
  if (rule === "integral" && !isFloat(input.dtype)) return input;
  return fromStorage(input.backend.unary(op, input.view), input.shape, input.dtype);
}

/**
 * `a + b` with broadcasting. Numbers are weakly typed (they do not widen a tensor's dtype).
 *
 * @example
 * ```ts
 * add(tensor([[1], [2]]), tensor([10, 20])).toArray(); // [[11, 21], [12, 22]]
 * ```
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("add", a, b);
}
/** `a - b` with broadcasting. @example `sub(tensor([3]), 1).toArray(); // [2]` */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("sub", a, b);
}
/** `a * b` with broadcasting. @example `mul(tensor([3]), 2).toArray(); // [6]` */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("mul", a, b);
}
/** True division `a / b` (integers give float32). @example `div(tensor([3], undefined, "int32"), 2).toArray(); // [1.5]` */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("div", a, b);
}
/** `a ** b` with broadcasting. @example `pow(tensor([2]), 3).toArray(); // [8]` */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("pow", a, b);
}
/** Elementwise maximum (NaN propagates). @example `maximum(tensor([1, 4]), tensor([3, 2])).toArray(); // [3, 4]` */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("maximum", a, b);
}
/** Elementwise minimum (NaN propagates). @example `minimum(tensor([1, 4]), tensor([3, 2])).toArray(); // [1, 2]` */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp("minimum", a, b);
}
/** `a == b` as uint8 0/1. @example `eq(tensor([1, 2]), 2).toArray(); // [0, 1]` */
export function eq(a: TensorLike, b: TensorLike): Tensor<"uint8"> {
  return binaryOp("eq", a, b) as Tensor<"uint8">;
}
/** `a != b` as uint8 0/1. @example `ne(tensor([1, 2]), 2).toArray(); // [1, 0]` */
export function ne(a: TensorLike, b: TensorLike): Tensor<"uint8"> {
  return binaryOp("ne", a, b) as Tensor<"uint8">;
}
/** `a < b` as uint8 0/1. @example `lt(tensor([1, 2]), 2).toArray(); // [1, 0]` */
export function lt(a: TensorLike, b: TensorLike): Tensor<"uint8"> {
  return binaryOp("lt", a, b) as Tensor<"uint8">;
}
/** `a > b` as uint8 0/1. @example `gt(tensor([1, 2]), 1).toArray(); // [0, 1]` */
export function gt(a: TensorLike, b: TensorLike): Tensor<"uint8"> {
  return binaryOp("gt", a, b) as Tensor<"uint8">;
}
/** `a <= b` as uint8 0/1. @example `le(tensor([1, 2]), 1).toArray(); // [1, 0]` */
export function le(a: TensorLike, b: TensorLike): Tensor<"uint8"> {
  return binaryOp("le", a, b) as Tensor<"uint8">;
}
/** `a >= b` as uint8 0/1. @example `ge(tensor([1, 2]), 2).toArray(); // [0, 1]` */
export function ge(a: TensorLike, b: TensorLike): Tensor<"uint8"> {
  return binaryOp("ge", a, b) as Tensor<"uint8">;
}

/** `-x`. @example `neg(tensor([1])).toArray(); // [-1]` */
export function neg<D extends DType>(x: Tensor<D>): Tensor<D> {
  return unaryOp("neg", x);
}
/** `|x|`. @example `abs(tensor([-1])).toArray(); // [1]` */
export function abs<D extends DType>(x: Tensor<D>): Tensor<D> {
  return unaryOp("abs", x);
}
/** Sign: -1, 0 or 1 (NaN stays NaN). @example `sign(tensor([-3, 0, 2])).toArray(); // [-1, 0, 1]` */
export function sign<D extends DType>(x: Tensor<D>): Tensor<D> {
  return unaryOp("sign", x);
}
/** `e^x` (integers give float32). @example `exp(tensor([0])).toArray(); // [1]` */
export function exp(x: Tensor): Tensor {
  return unaryOp("exp", x);
}
/** Natural logarithm. @example `log(tensor([1])).toArray(); // [0]` */
export function log(x: Tensor): Tensor {
  return unaryOp("log", x);
}
/** Square root. @example `sqrt(tensor([9])).toArray(); // [3]` */
export function sqrt(x: Tensor): Tensor {
  return unaryOp("sqrt", x);
}
/** `1 / sqrt(x)`. @example `rsqrt(tensor([4])).toArray(); // [0.5]` */
export function rsqrt(x: Tensor): Tensor {
  return unaryOp("rsqrt", x);
}
/** Sine. @example `sin(tensor([0])).toArray(); // [0]` */
export function sin(x: Tensor): Tensor {
  return unaryOp("sin", x);
}
/** Cosine. @example `cos(tensor([0])).toArray(); // [1]` */
export function cos(x: Tensor): Tensor {
  return unaryOp("cos", x);
}
/** Hyperbolic tangent. @example `tanh(tensor([0])).toArray(); // [0]` */
export function tanh(x: Tensor): Tensor {
  return unaryOp("tanh", x);
}
/** Logistic sigmoid `1 / (1 + e^-x)`, stable for large |x|. @example `sigmoid(tensor([0])).toArray(); // [0.5]` */
export function sigmoid(x: Tensor): Tensor {
  return unaryOp("sigmoid", x);
}
/**
 * The error function `erf(x) = 2/√π ∫₀ˣ e^(-t²) dt` (integers give float32):
 * float64-exact on float64 tensors (relative error below 1e-15), good to
 * 1.2e-7 absolute on float32 ones.
 *
 * @example
 * ```ts
 * erf(tensor([0, 1], undefined, "float64")).toArray(); // [0, 0.8427007929497149]
 * ```
 */
export function erf(x: Tensor): Tensor {
  return unaryOp("erf", x);
}
/** `max(x, 0)`. @example `relu(tensor([-1, 2])).toArray(); // [0, 2]` */
export function relu<D extends DType>(x: Tensor<D>): Tensor<D> {
  return unaryOp("relu", x);
}
/** Round half to even, as torch.round. @example `round(tensor([0.5, 1.5, 2.5])).toArray(); // [0, 2, 2]` */
export function round<D extends DType>(x: Tensor<D>): Tensor<D> {
  return unaryOp("round", x);
}
/** Floor. @example `floor(tensor([-1.5])).toArray(); // [-2]` */
export function floor<D extends DType>(x: Tensor<D>): Tensor<D> {
  return unaryOp("floor", x);
}
/** Ceiling. @example `ceil(tensor([-1.5])).toArray(); // [-1]` */
export function ceil<D extends DType>(x: Tensor<D>): Tensor<D> {
  return unaryOp("ceil", x);
}

/**
 * `min(max(x, lo), hi)`; either bound may be omitted (not both).
 *
 * @example
 * ```ts
 * clamp(tensor([-2, 0, 2]), -1, 1).toArray(); // [-1, 0, 1]
 * ```
 */
export function clamp(x: Tensor, lo?: TensorLike, hi?: TensorLike): Tensor {
  if (lo === undefined && hi === undefined) throw new ArgumentError("clamp: give at least one of min and max");
  let out: Tensor = x;
  if (lo !== undefined) out = maximum(out, lo);
  if (hi !== undefined) out = minimum(out, hi);
  return out;
}

/**
 * Picks `a` where `cond` is non-zero, else `b`, broadcasting all three.
 *
 * @example
 * ```ts
 * where(tensor([1, 0], undefined, "uint8"), tensor([1, 2]), 0).toArray(); // [1, 0]
 * ```
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const c = cond.dtype === "uint8" ? cond : ne(cond, 0);
  let dtype: DType;
  if (typeof a === "number" && typeof b === "number") dtype = "float32";
  else if (typeof a === "number") dtype = promoteWithScalar((b as Tensor).dtype, a);
  else if (typeof b === "number") dtype = promoteWithScalar(a.dtype, b);
  else dtype = promoteTypes(a.dtype, b.dtype);
  const ta = typeof a === "number" ? scalarLike(a, c, dtype) : a.cast(dtype);
  const tb = typeof b === "number" ? scalarLike(b, c, dtype) : b.cast(dtype);
  const backend = sameBackend("where", c, ta, tb);
  const shape = broadcastShapes(broadcastShapes(c.shape, ta.shape, "where"), tb.shape, "where");
  return fromStorage(backend.where(c.expand(shape).view, ta.expand(shape).view, tb.expand(shape).view), shape, dtype);
}
