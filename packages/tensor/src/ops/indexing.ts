// Index ops: gather and its adjoint scatterAdd, indexSelect (embedding
// lookup), and oneHot (for losses).
import { type DType, isFloat } from "../dtype.js";
import { ArgumentError, DTypeError, ShapeError, fmtShape } from "../errors.js";
import { checkShape, normalizeAxis, shapesEqual } from "../shape.js";
import { type Tensor, fromStorage, sameBackend } from "../tensor.js";
import { eq, ge, lt, maximum } from "./elementwise.js";
import { arange } from "../creation.js";
import { deferCheck } from "../deferred-checks.js";

function indexTensor(op: string, index: Tensor): Tensor<"int32"> {
  if (isFloat(index.dtype)) throw new DTypeError(`${op}: indices must be an integer dtype, got ${index.dtype}`);
  return index.cast("int32");
}

/**
 * On a backend without synchronous reads (WebGPU), records the range check of
 * `idx` so that the next read throws the ArgumentError the CPU kernel throws at
 * the call (the CPU kernel checks each index itself).
 */
function deferRangeCheck(op: string, idx: Tensor<"int32">, axis: number, size: number): void {
  if (idx.backend.readSync !== undefined) return;
  deferCheck(maximum(lt(idx, 0), ge(idx, size)), () => new ArgumentError(`${op}: an index is out of range for dimension ${axis} of size ${size}`));
}

/**
 * PyTorch's `gather`: `out[i][j] = x[i][index[i][j]]` for axis 1. `index` has
 * x's number of dimensions and is no larger than x outside `axis`; the result
 * has index's shape. Out-of-range indices throw an ArgumentError (at the
 * call on the CPU; at the next read of a tensor on the backend on WebGPU).
 *
 * @example
 * ```ts
 * gather(tensor([[1, 2], [3, 4]]), 1, tensor([[0, 0], [1, 0]], undefined, "int32")).toArray(); // [[1, 1], [4, 3]]
 * ```
 */
export function gather<D extends DType>(x: Tensor<D>, axis: number, index: Tensor): Tensor<D> {
  return gatherImpl(x, axis, index, true);
}

/** gather, with the deferred range check optional (indexSelect checks its 1-D index before expanding it). */
function gatherImpl<D extends DType>(x: Tensor<D>, axis: number, index: Tensor, deferredCheck: boolean): Tensor<D> {
  const a = normalizeAxis(axis, x.ndim, "gather");
  const idx = indexTensor("gather", index);
  if (idx.ndim !== x.ndim) throw new ShapeError(`gather: index ${fmtShape(idx.shape)} must have as many dimensions as x ${fmtShape(x.shape)}`);
  idx.shape.forEach((d, i) => {
    if (i !== a && d > x.shape[i]) {
      throw new ShapeError(`gather: index ${fmtShape(idx.shape)} is larger than x ${fmtShape(x.shape)} in dimension ${i}`);
    }
  });
  const backend = sameBackend("gather", x, idx);
  if (deferredCheck) deferRangeCheck("gather", idx, a, x.shape[a]);
  return fromStorage(backend.gather(x.view, a, idx.view), idx.shape, x.dtype);
}

/**
 * Selects entries of `x` along `axis` by a 1-D index (an embedding lookup for axis 0).
 *
 * @example
 * ```ts
 * indexSelect(tensor([[1, 2], [3, 4], [5, 6]]), 0, tensor([2, 0], undefined, "int32")).toArray(); // [[5, 6], [1, 2]]
 * ```
 */
export function indexSelect<D extends DType>(x: Tensor<D>, axis: number, index: Tensor): Tensor<D> {
  const a = normalizeAxis(axis, x.ndim, "indexSelect");
  const idx = indexTensor("indexSelect", index);
  if (idx.ndim !== 1) throw new ShapeError(`indexSelect: index must be 1-D, got ${fmtShape(idx.shape)}`);
  const n = idx.shape[0];
  const outShape = x.shape.map((d, i) => (i === a ? n : d));
  deferRangeCheck("indexSelect", idx, a, x.shape[a]); // on the n indices, not the expanded view
  const view = idx.reshape(x.shape.map((_, i) => (i === a ? n : 1))).expand(outShape);
  return gatherImpl(x, a, view, false);
}

/**
 * The adjoint of {@link gather}: a zero tensor of `shape` with each `src`
 * element added at the position `index` names along `axis` (repeated indices
 * accumulate).
 *
 * @example
 * ```ts
 * scatterAdd([3], 0, tensor([0, 2, 0], undefined, "int32"), tensor([1, 2, 3])).toArray(); // [4, 0, 2]
 * ```
 */
export function scatterAdd(shape: readonly number[], axis: number, index: Tensor, src: Tensor): Tensor {
  checkShape(shape, "scatterAdd");
  const a = normalizeAxis(axis, shape.length, "scatterAdd");
  const idx = indexTensor("scatterAdd", index);
  if (!shapesEqual(idx.shape, src.shape)) throw new ShapeError(`scatterAdd: index ${fmtShape(idx.shape)} and src ${fmtShape(src.shape)} must have the same shape`);
  if (idx.ndim !== shape.length) throw new ShapeError(`scatterAdd: index ${fmtShape(idx.shape)} must have as many dimensions as the output ${fmtShape(shape)}`);
  const backend = sameBackend("scatterAdd", idx, src);
  deferRangeCheck("scatterAdd", idx, a, shape[a]);
  return fromStorage(backend.scatterAdd(shape, a, idx.view, src.view), shape, src.dtype);
}

/**
 * One-hot encoding: a new last axis of `numClasses` with 1 at each index.
 * Float32 by default (for losses; PyTorch gives int64). Indices must lie in
 * `[0, numClasses)`.
 *
 * @example
 * ```ts
 * oneHot(tensor([0, 2], undefined, "int32"), 3).toArray(); // [[1, 0, 0], [0, 0, 1]]
 * ```
 */
export function oneHot<D extends DType = "float32">(indices: Tensor, numClasses: number, dtype?: D): Tensor<D> {
  if (!Number.isInteger(numClasses) || numClasses <= 0) throw new ArgumentError(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  const idx = indexTensor("oneHot", indices);
  checkShape([...idx.shape, numClasses], "oneHot");
  if (idx.backend.readSync !== undefined && idx.size > 0) {
    const v = idx.dataSync();
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (c < 0 || c >= numClasses) throw new ArgumentError(`oneHot: index ${c} at position ${i} is outside [0, ${numClasses})`);
    }
  }
  const classes = arange(0, numClasses, 1, "int32").to(idx.backend);
  return eq(idx.unsqueeze(-1), classes).cast((dtype ?? "float32") as D);
}
