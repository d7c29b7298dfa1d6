// Var: a tensor in the autograd graph. It holds a value (an immutable Tensor),
// a gradient, whether it requires one, and the node of the op that made it.
// Chaining methods call the op functions in ops/; the engine is in engine.ts.
import { Brand, type DType, type NestedArray, type ReduceOptions, type Shape, type Tensor, type VarOptions } from "@bitnet-quantize/tensor";
import { backward as runBackward, type BackwardOptions } from "./engine.js";
import { AutogradError, fmtShape } from "./errors.js";
import type { GradNode } from "./node.js";
import { abs } from "./ops/abs.js";
import { add } from "./ops/add.js";
import { cast } from "./ops/cast.js";
import { clamp } from "./ops/clamp.js";
import { cos } from "./ops/cos.js";
import { div } from "./ops/div.js";
import { exp } from "./ops/exp.js";
import { expand } from "./ops/expand.js";
import { flatten } from "./ops/flatten.js";
import { gather } from "./ops/gather.js";
import { indexSelect } from "./ops/index-select.js";
import { log } from "./ops/log.js";
import { logSoftmax } from "./ops/log-softmax.js";
import { matmul } from "./ops/matmul.js";
import { max } from "./ops/max.js";
import { maximum } from "./ops/maximum.js";
import { mean } from "./ops/mean.js";
import { min } from "./ops/min.js";
import { minimum } from "./ops/minimum.js";
import { mul } from "./ops/mul.js";
import { narrow } from "./ops/narrow.js";
import { neg } from "./ops/neg.js";
import { permute } from "./ops/permute.js";
import { pow } from "./ops/pow.js";
import { relu } from "./ops/relu.js";
import { reshape } from "./ops/reshape.js";
import { rsqrt } from "./ops/rsqrt.js";
import { sigmoid } from "./ops/sigmoid.js";
import { sin } from "./ops/sin.js";
import { slice } from "./ops/slice.js";
import { softmax } from "./ops/softmax.js";
import { split } from "./ops/split.js";
import { sqrt } from "./ops/sqrt.js";
import { squeeze } from "./ops/squeeze.js";
import { sub } from "./ops/sub.js";
import { sum } from "./ops/sum.js";
import { tanh } from "./ops/tanh.js";
import { transpose } from "./ops/transpose.js";
import { unsqueeze } from "./ops/unsqueeze.js";
import { variance } from "./ops/variance.js";
import { VERSION } from "./version.js";

const VAR_BRAND = new Brand("@bitnet-quantize/autograd", "Var", VERSION);

/** A differentiable input: a `Var`, or a plain `Tensor` (treated as a constant). */
export type VarInput = Var | Tensor;
/** A differentiable input or a plain number (a constant). */
export type VarLike = Var | Tensor | number;

/** Options of the `Var` constructor. */
export interface VarInit {
  /** True for a leaf whose gradient should be accumulated (default false). */
  readonly requiresGrad?: boolean;
  /** Marks a trainable parameter (what `param()` makes; `Module.parameters()` collects these). */
  readonly isParameter?: boolean;
  /** The node of the op that produced this value (ops set it; users leave it out). */
  readonly node?: GradNode;
}

/**
 * A tensor in the autograd graph. Leaves are made with {@link param} (a
 * trainable parameter) or `new Var(tensor)` (a constant); every op on a `Var`
 * returns a new `Var` that remembers how it was made, so that `backward()`
 * can send gradients to the leaves.
 *
 * @example
 * ```ts
 * const x = param(tensor([1, 2, 3]));
 * const y = x.mul(x).sum(); // y.value is 14
 * y.backward();
 * x.grad?.toArray(); // [2, 4, 6]
 * ```
 */
export class Var {
  /**
   * `instanceof Var` is a brand check (`Symbol.for("@bitnet-quantize/autograd/Var")`), so
   * Vars from a second compatible copy of @bitnet-quantize/autograd pass it, and one from an
   * incompatible copy throws a BrandError naming both versions.
   *
   * @example
   * ```ts
   * param(zeros([1])) instanceof Var; // true
   * ```
   */
  static [Symbol.hasInstance](x: unknown): boolean {
    return Brand.hasInstance(this, x);
  }

  #value: Tensor;
  #requiresGrad: boolean;
  #retainGrad = false;
  /** The accumulated gradient (leaves, and non-leaves after {@link retainGrad}); `null` until backward reaches it. */
  grad: Tensor | null = null;
  /** The op node that produced this value; `null` for a leaf. */
  readonly node: GradNode | null;
  /** True for values made by {@link param}. */
  readonly isParameter: boolean;

  /**
   * Wraps a tensor. Ops create non-leaf `Var`s; users create leaves, usually
   * through {@link param}.
   *
   * @example
   * ```ts
   * new Var(tensor([1, 2])).requiresGrad; // false: a constant
   * ```
   */
  constructor(value: Tensor, init: VarInit = {}) {
    this.#value = value;
    this.node = init.node ?? null;
    this.#requiresGrad = this.node !== null || init.requiresGrad === true;
    this.isParameter = init.isParameter === true;
  }

  /** The current value. Assigning replaces it (optimizers do); the shape and dtype must stay. */
  get value(): Tensor {
    return this.#value;
  }
  set value(t: Tensor) {
    if (t.dtype !== this.#value.dtype || t.ndim !== this.#value.ndim || t.shape.some((d, i) => d !== this.#value.shape[i])) {
      throw new AutogradError(
        `Var.value: the new value ${fmtShape(t.shape)} ${t.dtype} does not match ${fmtShape(this.#value.shape)} ${this.#value.dtype}`,
      );
    }
    this.#value = t;
  }
  /** The value's shape. */
  get shape(): Shape {
    return this.#value.shape;
  }
  /** The value's dtype. */
  get dtype(): DType {
    return this.#value.dtype;
  }
  /** Number of dimensions. */
  get ndim(): number {
    return this.#value.ndim;
  }
  /** Number of elements. */
  get size(): number {
    return this.#value.size;
  }
  /** True for values made directly by the user (no op node). */
  get isLeaf(): boolean {
    return this.node === null;
  }
  /** Whether gradients flow to (or through) this value. Settable on leaves only. */
  get requiresGrad(): boolean {
    return this.#requiresGrad;
  }
  set requiresGrad(flag: boolean) {
    if (this.node !== null) throw new AutogradError(`requiresGrad can only be set on leaves; this Var was made by ${this.node.name} (use detach())`);
    this.#requiresGrad = flag;
  }
  /** True when backward stores this non-leaf's gradient in {@link grad}. */
  get retainsGrad(): boolean {
    return this.#retainGrad;
  }

  /**
   * Keeps this non-leaf's gradient in `grad` during backward (as PyTorch's `retain_grad`).
   *
   * @example
   * ```ts
   * const h = x.mul(2).retainGrad(); h.sum().backward(); h.grad?.toArray(); // [1, 1]
   * ```
   */
  retainGrad(): this {
    this.#retainGrad = true;
    return this;
  }

  /**
   * Computes gradients of this value with respect to every leaf that requires
   * one, accumulating into their `grad`. A one-element value seeds with 1;
   * otherwise pass the gradient of some scalar with respect to this value.
   * Saved tensors are released afterwards unless `retainGraph`.
   *
   * @example
   * ```ts
   * const x = param(tensor([1, 2]));
   * x.mul(3).backward(tensor([1, 1])); // x.grad is [3, 3]
   * ```
   */
  backward(gradOutput?: Tensor | number, opts?: BackwardOptions): void {
    runBackward(this, gradOutput, opts);
  }

  /**
   * The same value cut off from the graph (no gradient flows back through it).
   *
   * @example
   * ```ts
   * param(tensor([1])).mul(2).detach().requiresGrad; // false
   * ```
   */
  detach(): Var {
    return new Var(this.#value);
  }

  /**
   * Clears the gradient (sets it to `null`, as PyTorch's `set_to_none`).
   *
   * @example
   * ```ts
   * x.zeroGrad(); x.grad; // null
   * ```
   */
  zeroGrad(): void {
    this.grad = null;
  }

  /** The single value of a one-element Var. @example `param(tensor([3])).item(); // 3` */
  item(): number {
    return this.#value.item();
  }
  /** Nested arrays of the value. @example `param(tensor([1, 2])).toArray(); // [1, 2]` */
  toArray(): NestedArray {
    return this.#value.toArray();
  }
  /** PyTorch-style text. @example `String(param(tensor([1]))); // "Var(tensor([1.]), requiresGrad=true)"` */
  toString(): string {
    const how = this.node !== null ? `, gradFn=${this.node.name}` : this.#requiresGrad ? ", requiresGrad=true" : "";
    return `Var(${this.#value.toString()}${how})`;
  }

  // ---- chaining: each method calls the op function of the same name ----------

  /** `this + other`. @example `param(tensor([1, 2])).add(1).toArray(); // [2, 3]` */
  add(other: VarLike): Var {
    return add(this, other);
  }
  /** `this - other`. @example `param(tensor([1, 2])).sub(1).toArray(); // [0, 1]` */
  sub(other: VarLike): Var {
    return sub(this, other);
  }
  /** `this * other`. @example `param(tensor([1, 2])).mul(3).toArray(); // [3, 6]` */
  mul(other: VarLike): Var {
    return mul(this, other);
  }
  /** `this / other`. @example `param(tensor([1, 2])).div(2).toArray(); // [0.5, 1]` */
  div(other: VarLike): Var {
    return div(this, other);
  }
  /** `this ** other`. @example `param(tensor([2, 3])).pow(2).toArray(); // [4, 9]` */
  pow(other: VarLike): Var {
    return pow(this, other);
  }
  /** Elementwise maximum. @example `param(tensor([-1, 2])).maximum(0).toArray(); // [0, 2]` */
  maximum(other: VarLike): Var {
    return maximum(this, other);
  }
  /** Elementwise minimum. @example `param(tensor([-1, 2])).minimum(1).toArray(); // [-1, 1]` */
  minimum(other: VarLike): Var {
    return minimum(this, other);
  }
  /** `-this`. @example `param(tensor([1, -2])).neg().toArray(); // [-1, 2]` */
  neg(): Var {
    return neg(this);
  }
  /** `|this|`. @example `param(tensor([1, -2])).abs().toArray(); // [1, 2]` */
  abs(): Var {
    return abs(this);
  }
  /** `e^this`. @example `param(tensor([0])).exp().toArray(); // [1]` */
  exp(): Var {
    return exp(this);
  }
  /** Natural log. @example `param(tensor([1])).log().toArray(); // [0]` */
  log(): Var {
    return log(this);
  }
  /** Square root. @example `param(tensor([9])).sqrt().toArray(); // [3]` */
  sqrt(): Var {
    return sqrt(this);
  }
  /** `1 / sqrt(this)`. @example `param(tensor([4])).rsqrt().toArray(); // [0.5]` */
  rsqrt(): Var {
    return rsqrt(this);
  }
  /** Sine. @example `param(tensor([0])).sin().toArray(); // [0]` */
  sin(): Var {
    return sin(this);
  }
  /** Cosine. @example `param(tensor([0])).cos().toArray(); // [1]` */
  cos(): Var {
    return cos(this);
  }
  /** Hyperbolic tangent. @example `param(tensor([0])).tanh().toArray(); // [0]` */
  tanh(): Var {
    return tanh(this);
  }
  /** Logistic sigmoid. @example `param(tensor([0])).sigmoid().toArray(); // [0.5]` */
  sigmoid(): Var {
    return sigmoid(this);
  }
  /** `max(this, 0)`. @example `param(tensor([-1, 2])).relu().toArray(); // [0, 2]` */
  relu(): Var {
    return relu(this);
  }
  /** Clamp into `[min, max]`. @example `param(tensor([-2, 0, 2])).clamp(-1, 1).toArray(); // [-1, 0, 1]` */
  clamp(min?: number, max?: number): Var {
    return clamp(this, min, max);
  }
  /** Sum over axes (all by default). @example `param(tensor([[1, 2], [3, 4]])).sum(0).toArray(); // [4, 6]` */
  sum(axes?: number | readonly number[], opts?: ReduceOptions): Var {
    return sum(this, axes, opts);
  }
  /** Mean over axes. @example `param(tensor([[1, 2], [3, 4]])).mean(-1, { keepDims: true }).toArray(); // [[1.5], [3.5]]` */
  mean(axes?: number | readonly number[], opts?: ReduceOptions): Var {
    return mean(this, axes, opts);
  }
  /** Maximum over axes. @example `param(tensor([[1, 5], [3, 4]])).max(1).toArray(); // [5, 4]` */
  max(axes?: number | readonly number[], opts?: ReduceOptions): Var {
    return max(this, axes, opts);
  }
  /** Minimum over axes. @example `param(tensor([[1, 5], [3, 4]])).min(1).toArray(); // [1, 3]` */
  min(axes?: number | readonly number[], opts?: ReduceOptions): Var {
    return min(this, axes, opts);
  }
  /** Variance (Bessel-corrected by default). @example `param(tensor([1, 2, 3, 4])).var(0, { correction: 0 }).item(); // 1.25` */
  var(axes?: number | readonly number[], opts?: VarOptions): Var {
    return variance(this, axes, opts);
  }
  /** Matrix product. @example `param(tensor([[1, 2]])).matmul(tensor([[3], [4]])).toArray(); // [[11]]` */
  matmul(other: VarInput): Var {
    return matmul(this, other);
  }
  /** Reshape (one entry may be -1). @example `param(tensor([1, 2, 3, 4])).reshape([2, -1]).toArray(); // [[1, 2], [3, 4]]` */
  reshape(shape: Shape): Var {
    return reshape(this, shape);
  }
  /** Reorder dimensions. @example `param(zeros([2, 3, 4])).permute([2, 0, 1]).shape; // [4, 2, 3]` */
  permute(dims: readonly number[]): Var {
    return permute(this, dims);
  }
  /** Swap two dimensions (default the last two). @example `param(tensor([[1, 2]])).transpose().toArray(); // [[1], [2]]` */
  transpose(dim0 = -2, dim1 = -1): Var {
    return transpose(this, dim0, dim1);
  }
  /** Broadcast to a larger shape. @example `param(tensor([1, 2])).expand([2, 2]).toArray(); // [[1, 2], [1, 2]]` */
  expand(shape: Shape): Var {
    return expand(this, shape);
  }
  /** `length` elements from `start` along `axis`. @example `param(tensor([0, 1, 2, 3])).narrow(0, 1, 2).toArray(); // [1, 2]` */
  narrow(axis: number, start: number, length: number): Var {
    return narrow(this, axis, start, length);
  }
  /** Python-style slice of one axis. @example `param(tensor([0, 1, 2, 3, 4, 5])).slice(0, 1, -1, 2).toArray(); // [1, 3]` */
  slice(axis: number, start = 0, end?: number, step = 1): Var {
    return slice(this, axis, start, end, step);
  }
  /** Remove size-1 dimensions. @example `param(zeros([1, 3, 1])).squeeze().shape; // [3]` */
  squeeze(axis?: number): Var {
    return squeeze(this, axis);
  }
  /** Insert a size-1 dimension. @example `param(zeros([3])).unsqueeze(0).shape; // [1, 3]` */
  unsqueeze(axis: number): Var {
    return unsqueeze(this, axis);
  }
  /** Flatten dimensions `start..end`. @example `param(zeros([2, 3, 4])).flatten(1).shape; // [2, 12]` */
  flatten(start = 0, end = -1): Var {
    return flatten(this, start, end);
  }
  /** Split into pieces along an axis. @example `param(tensor([0, 1, 2])).split(2).map((p) => p.toArray()); // [[0, 1], [2]]` */
  split(sizes: number | readonly number[], axis = 0): Var[] {
    return split(this, sizes, axis);
  }
  /** Gather along an axis. @example `param(tensor([[1, 2], [3, 4]])).gather(1, tensor([[1], [0]], undefined, "int32")).toArray(); // [[2], [3]]` */
  gather(axis: number, index: Tensor): Var {
    return gather(this, axis, index);
  }
  /** Select entries along an axis. @example `param(tensor([10, 20, 30])).indexSelect(0, tensor([2, 0], undefined, "int32")).toArray(); // [30, 10]` */
  indexSelect(axis: number, index: Tensor): Var {
    return indexSelect(this, axis, index);
  }
  /** Softmax along an axis. @example `param(tensor([0, 0])).softmax(-1).toArray(); // [0.5, 0.5]` */
  softmax(axis = -1): Var {
    return softmax(this, axis);
  }
  /** Log-softmax along an axis. @example `param(tensor([0, 0])).logSoftmax(-1).toArray(); // [-0.6931472, -0.6931472]` */
  logSoftmax(axis = -1): Var {
    return logSoftmax(this, axis);
  }
  /** Convert to another float dtype. @example `param(tensor([1.5])).cast("float64").dtype; // "float64"` */
  cast(dtype: "float32" | "float64"): Var {
    return cast(this, dtype);
  }
}
VAR_BRAND.mark(Var);

/** Options of {@link param}. */
export interface ParamOptions {
  /** Default true; false makes a frozen parameter (still listed by `Module.parameters()`). */
  readonly requiresGrad?: boolean;
}

/**
 * A trainable parameter: a leaf `Var` that requires a gradient.
 *
 * @example
 * ```ts
 * const w = param(tensor([[1, 2]]));
 * w.requiresGrad; // true
 * w.isLeaf; // true
 * ```
 */
export function param(value: Tensor, opts: ParamOptions = {}): Var {
  return new Var(value, { requiresGrad: opts.requiresGrad ?? true, isParameter: true });
}
