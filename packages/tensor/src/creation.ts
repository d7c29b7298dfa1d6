// Creating tensors from JS data and from patterns (zeros, ones, full, arange,
// linspace, eye). New tensors go on the current backend (see setBackend).
import type { Backend } from "./backend.js";
import { getBackend } from "./backend-registry.js";
import { ALL_DTYPES, DTYPE_INFO, type DType, type DTypeMap, allocTyped, dtypeOfArray } from "./dtype.js";
import { ArgumentError, DTypeError, ShapeError, fmtShape } from "./errors.js";
import type { NestedArray } from "./format.js";
import { type Shape, checkShape, numel } from "./shape.js";
import { type Tensor, fromStorage } from "./tensor.js";

/** Nested arrays of numbers or booleans, as `tensor()` accepts. */
export type TensorData = number | boolean | NestedArray | readonly (boolean | number)[] | readonly TensorDataNested[];
type TensorDataNested = number | boolean | readonly TensorDataNested[];

function checkDType(dtype: string, op: string): DType {
  if (!(ALL_DTYPES as readonly string[]).includes(dtype)) throw new DTypeError(`${op}: unknown dtype "${dtype}"; expected one of ${ALL_DTYPES.join(", ")}`);
  return dtype as DType;
}

/** Writes `values` into a typed array of `dtype`, checking integer range. */
function fill(dtype: DType, values: ArrayLike<number>, op: string): DTypeMap[DType] {
  const out = allocTyped(dtype, values.length);
  if (dtype === "float32" || dtype === "float64") {
    out.set(values);
    return out;
  }
  const { min, max } = DTYPE_INFO[dtype];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new ArgumentError(`${op}: value ${v} at index ${i} cannot be stored as ${dtype}`);
    const t = Math.trunc(v);
    if (t < min || t > max) throw new DTypeError(`${op}: value ${v} at index ${i} is outside ${dtype}'s range ${min}..${max}`);
    out[i] = t;
  }
  return out;
}

function flattenNested(data: TensorDataNested, op: string): { values: number[]; shape: number[]; bool: boolean } {
  const shape: number[] = [];
  let probe: TensorDataNested = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0] as TensorDataNested;
  }
  const values: number[] = [];
  let bool = true;
  const walk = (x: TensorDataNested, depth: number): void => {
    if (depth === shape.length) {
      if (typeof x === "boolean") values.push(x ? 1 : 0);
      else if (typeof x === "number") {
        bool = false;
        values.push(x);
      } else throw new ShapeError(`${op}: nested arrays are ragged (too deep at depth ${depth})`);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      throw new ShapeError(`${op}: nested arrays are ragged: expected length ${shape[depth]} at depth ${depth}`);
    }
    for (const y of x as readonly TensorDataNested[]) walk(y, depth + 1);
  };
  walk(data, 0);
  return { values, shape, bool: bool && values.length > 0 };
}

/**
 * A tensor from nested arrays, a typed array, or a number. Nested numbers give
 * float32 (JS has no integer literals), booleans uint8, a typed array its own
 * dtype. `shape` reshapes flat data; `dtype` converts (floats to integers
 * truncate toward zero).
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]).shape; // [2, 2]
 * tensor(new Int8Array([1, -1, 0, 1]), [2, 2]).dtype; // "int8"
 * tensor([1.9, -1.9], undefined, "int32").toArray(); // [1, -1]
 * tensor(3).shape; // []
 * ```
 */
export function tensor<D extends DType = "float32">(data: TensorData | DTypeMap[DType], shape?: Shape, dtype?: D, backend: Backend = getBackend()): Tensor<D> {
  let values: ArrayLike<number>;
  let inferredShape: number[];
  let inferred: DType;
  if (ArrayBuffer.isView(data)) {
    const dt = dtypeOfArray(data);
    if (dt === undefined) throw new DTypeError(`tensor: unsupported typed array ${data.constructor.name}`);
    values = data;
    inferredShape = [data.length];
    inferred = dt;
  } else if (typeof data === "number" || typeof data === "boolean") {
    values = [Number(data)];
    inferredShape = [];
    inferred = typeof data === "boolean" ? "uint8" : "float32";
  } else {
    const flat = flattenNested(data, "tensor");
    values = flat.values;
    inferredShape = flat.shape;
    inferred = flat.bool ? "uint8" : "float32";
  }
  const dt = checkDType(dtype ?? inferred, "tensor");
  let finalShape = inferredShape;
  if (shape !== undefined) {
    finalShape = checkShape(shape, "tensor");
    if (numel(finalShape) !== values.length) {
      throw new ShapeError(`tensor: ${values.length} values do not fill shape ${fmtShape(finalShape)}`);
    }
  }
  // a typed array of the target dtype needs no conversion or range check (upload copies it)
  const same = ArrayBuffer.isView(values) && dtypeOfArray(values) === dt;
  return fromStorage(backend.upload(same ? (values as DTypeMap[DType]) : fill(dt, values, "tensor"), dt), finalShape, dt) as Tensor<D>;
}

/**
 * A tensor of `shape` filled with `value`.
 *
 * @example
 * ```ts
 * full([2, 2], 7).toArray(); // [[7, 7], [7, 7]]
 * ```
 */
export function full<D extends DType = "float32">(shape: Shape, value: number, dtype?: D, backend: Backend = getBackend()): Tensor<D> {
  const s = checkShape(shape, "full");
  const dt = checkDType(dtype ?? "float32", "full");
  const data = allocTyped(dt, numel(s));
  if (value !== 0) data.fill(fill(dt, [value], "full")[0]);
  return fromStorage(backend.upload(data, dt), s, dt) as Tensor<D>;
}

/**
 * Zeros of `shape`.
 *
 * @example
 * ```ts
 * zeros([2, 3]).shape; // [2, 3]
 * ```
 */
export function zeros<D extends DType = "float32">(shape: Shape, dtype?: D, backend: Backend = getBackend()): Tensor<D> {
  const s = checkShape(shape, "zeros");
  const dt = checkDType(dtype ?? "float32", "zeros") as D;
  return fromStorage(backend.alloc(dt, numel(s)), s, dt);
}

/**
 * Ones of `shape`.
 *
 * @example
 * ```ts
 * ones([2]).toArray(); // [1, 1]
 * ```
 */
export function ones<D extends DType = "float32">(shape: Shape, dtype?: D, backend: Backend = getBackend()): Tensor<D> {
  return full(shape, 1, dtype, backend);
}

/**
 * Zeros with another tensor's shape, dtype and backend.
 *
 * @example
 * ```ts
 * zerosLike(tensor([1, 2])).toArray(); // [0, 0]
 * ```
 */
export function zerosLike<D extends DType>(t: Tensor<D>): Tensor<D> {
  return zeros(t.shape, t.dtype, t.backend);
}

/**
 * Ones with another tensor's shape, dtype and backend.
 *
 * @example
 * ```ts
 * onesLike(tensor([1, 2])).toArray(); // [1, 1]
 * ```
 */
export function onesLike<D extends DType>(t: Tensor<D>): Tensor<D> {
  return ones(t.shape, t.dtype, t.backend);
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) by `step`; with one
 * argument, `0..start`. int32 when all arguments are integers, else float32.
 *
 * @example
 * ```ts
 * arange(4).toArray(); // [0, 1, 2, 3]
 * arange(1, 2, 0.25).toArray(); // [1, 1.25, 1.5, 1.75]
 * ```
 */
export function arange<D extends DType>(start: number, end?: number, step = 1, dtype?: D, backend: Backend = getBackend()): Tensor<D> {
  const lo = end === undefined ? 0 : start;
  const hi = end === undefined ? start : end;
  if (step === 0 || !Number.isFinite(step)) throw new ArgumentError(`arange: step must be finite and non-zero, got ${step}`);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new ArgumentError(`arange: bounds must be finite, got ${lo} and ${hi}`);
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  checkShape([n], "arange");
  const dt = checkDType(dtype ?? ([lo, hi, step].every(Number.isInteger) ? "int32" : "float32"), "arange");
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = lo + i * step;
  return fromStorage(backend.upload(fill(dt, values, "arange"), dt), [n], dt) as Tensor<D>;
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included.
 *
 * @example
 * ```ts
 * linspace(0, 1, 5).toArray(); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace<D extends DType = "float32">(start: number, end: number, steps: number, dtype?: D, backend: Backend = getBackend()): Tensor<D> {
  if (!Number.isInteger(steps) || steps < 0) throw new ArgumentError(`linspace: steps must be a non-negative integer, got ${steps}`);
  checkShape([steps], "linspace");
  const values = new Float64Array(steps);
  for (let i = 0; i < steps; i++) values[i] = steps === 1 ? start : start + ((end - start) * i) / (steps - 1);
  const dt = checkDType(dtype ?? "float32", "linspace");
  return fromStorage(backend.upload(fill(dt, values, "linspace"), dt), [steps], dt) as Tensor<D>;
}

/**
 * The `n x m` identity matrix (ones on the diagonal).
 *
 * @example
 * ```ts
 * eye(2).toArray(); // [[1, 0], [0, 1]]
 * eye(2, 3).shape; // [2, 3]
 * ```
 */
export function eye<D extends DType = "float32">(n: number, m = n, dtype?: D, backend: Backend = getBackend()): Tensor<D> {
  const s = checkShape([n, m], "eye");
  const dt = checkDType(dtype ?? "float32", "eye");
  const data = allocTyped(dt, n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return fromStorage(backend.upload(data, dt), s, dt) as Tensor<D>;
}
