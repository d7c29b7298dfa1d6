// Matrix product with PyTorch's rules: 1-D operands are promoted to matrices
// and the added dimension removed again; batch dimensions broadcast.
import { isFloat, promoteTypes } from "../dtype.js";
import { DTypeError, ShapeError, fmtShape } from "../errors.js";
import { broadcastShapes } from "../shape.js";
import { type Tensor, fromStorage, sameBackend } from "../tensor.js";

/**
 * `a @ b`: `[..., M, K] x [..., K, N] -> [..., M, N]` with batch broadcasting;
 * a 1-D `a` is a row vector and a 1-D `b` a column vector (their dimension is
 * dropped from the result). Float dtypes only.
 *
 * @example
 * ```ts
 * matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])).toArray(); // [[17], [39]]
 * matmul(tensor([1, 2]), tensor([3, 4])).item(); // 11
 * matmul(zeros([8, 2, 3]), zeros([3, 4])).shape; // [8, 2, 4]
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`matmul: operands must have at least 1 dimension, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const dtype = promoteTypes(a.dtype, b.dtype);
  if (!isFloat(dtype)) throw new DTypeError(`matmul: needs float operands, got ${a.dtype} and ${b.dtype}; cast them first`);
  const backend = sameBackend("matmul", a, b);
  const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
  const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
  const M = a2.shape[a2.ndim - 2];
  const K = a2.shape[a2.ndim - 1];
  const K2 = b2.shape[b2.ndim - 2];
  const N = b2.shape[b2.ndim - 1];
  if (K !== K2) throw new ShapeError(`matmul: inner dimensions differ: ${fmtShape(a.shape)} x ${fmtShape(b.shape)} (${K} vs ${K2})`);
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2), "matmul");
  const av = a2.cast(dtype).expand([...batch, M, K]);
  const bv = b2.cast(dtype).expand([...batch, K, N]);
  const out = fromStorage(backend.matmul(av.view, bv.view), [...batch, M, N], dtype);
  if (a.ndim === 1 && b.ndim === 1) return out.reshape([]);
  if (a.ndim === 1) return out.squeeze(-2);
  if (b.ndim === 1) return out.squeeze(-1);
  return out;
}
