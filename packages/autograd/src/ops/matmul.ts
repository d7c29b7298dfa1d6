// The matmul op with PyTorch's rules: `[..., M, K] x [..., K, N]`, batch
// dimensions broadcast, a 1-D operand is a row (a) or column (b) vector.
// Backward: `∂a = g·bᵀ`, `∂b = aᵀ·g`, summed over broadcast batch dimensions.
import { type Tensor, matmul as matmulTensor } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import { sumToShape } from "../sum-to-shape.js";
import type { Var, VarInput } from "../var.js";

/**
 * The `matmul` op definition (shapes as `matmul` of the tensor package).
 *
 * @example
 * ```ts
 * matmulOp.name; // "matmul": the definition behind matmul(), listed in OPS
 * ```
 */
export const matmulOp = defineOp<[a: Tensor, b: Tensor], { a: Tensor; b: Tensor }>({
  name: "matmul",
  forward(ctx, a, b) {
    ctx.save({ a, b });
    return matmulTensor(a, b);
  },
  backward(ctx, g) {
    const { a, b } = ctx.saved;
    // Work on the matrix forms: a2 [..., M, K], b2 [..., K, N], g2 [..., M, N].
    const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
    const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
    let g2 = g;
    if (a.ndim === 1 && b.ndim === 1) g2 = g.reshape([1, 1]);
    else if (a.ndim === 1) g2 = g.unsqueeze(-2);
    else if (b.ndim === 1) g2 = g.unsqueeze(-1);
    const ga = ctx.needsGrad[0] ? sumToShape(matmulTensor(g2, b2.transpose()), a2.shape).reshape(a.shape) : null;
    const gb = ctx.needsGrad[1] ? sumToShape(matmulTensor(a2.transpose(), g2), b2.shape).reshape(b.shape) : null;
    return [ga, gb];
  },
});

/**
 * Matrix product `a @ b` with batch broadcasting and 1-D operands, as `torch.matmul`.
 *
 * @example
 * ```ts
 * matmul(param(tensor([[1, 2], [3, 4]])), tensor([[5], [6]])).toArray(); // [[17], [39]]
 * matmul(param(tensor([1, 2])), tensor([3, 4])).item(); // 11
 * ```
 */
export function matmul(a: VarInput, b: VarInput): Var {
  return matmulOp.apply(a, b);
}
