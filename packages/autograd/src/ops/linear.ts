// The linear op (PyTorch's F.linear): `y = x·Wᵀ + b` for x `[..., in]`,
// W `[out, in]`, b `[out]`. One op instead of transpose + matmul + add, so
// that backward gives ∂W as a contiguous `[out, in]` (`gᵀ·x`) and skips ∂x
// when x needs no gradient (the first layer).
import { type Tensor, ShapeError, add, matmul, sum } from "@bitnet-quantize/tensor";
import { defineOp } from "../op.js";
import { fmtShape } from "../errors.js";
import type { Var, VarInput } from "../var.js";

interface LinearSaved {
  readonly x: Tensor;
  readonly w: Tensor;
}

/**
 * The `linear` op definition: `∂x = g·W`, `∂W = gᵀ·x` (leading dimensions flattened), `∂b = Σ g`.
 *
 * @example
 * ```ts
 * linearOp.name; // "linear": the definition behind linear(), listed in OPS
 * ```
 */
export const linearOp = defineOp<[x: Tensor, w: Tensor, b: Tensor | undefined], LinearSaved>({
  name: "linear",
  forward(ctx, x, w, b) {
    const inF = w.shape[1];
    const outF = w.shape[0];
    if (w.ndim !== 2 || x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
      throw new ShapeError(`linear: x ${fmtShape(x.shape)} and weight ${fmtShape(w.shape)} do not fit: need x [..., in] and weight [out, in]`);
    }
    if (b !== undefined && (b.ndim !== 1 || b.shape[0] !== outF)) {
      throw new ShapeError(`linear: bias ${fmtShape(b.shape)} must be [${outF}] for weight ${fmtShape(w.shape)}`);
    }
    ctx.save({ x, w });
    const x2 = x.reshape([-1, inF]);
    const y = matmul(x2, w.transpose());
    return (b === undefined ? y : add(y, b)).reshape([...x.shape.slice(0, -1), outF]);
  },
  backward(ctx, g) {
    const { x, w } = ctx.saved;
    const outF = w.shape[0];
    const g2 = g.reshape([-1, outF]);
    const gx = ctx.needsGrad[0] ? matmul(g2, w).reshape(x.shape) : null;
    const gw = ctx.needsGrad[1] ? matmul(g2.transpose(), x.reshape([-1, w.shape[1]])) : null;
    const gb = ctx.needsGrad[2] ? sum(g2, 0) : null;
    return [gx, gw, gb];
  },
});

/**
 * `x·Wᵀ + b` for any leading dimensions: x `[..., in]`, weight `[out, in]`,
 * bias `[out]` (optional) gives `[..., out]`.
 *
 * @example
 * ```ts
 * linear(tensor([[1, 2]]), param(tensor([[1, 0], [0, 1], [1, 1]])), param(tensor([0, 0, 10]))).toArray(); // [[1, 2, 13]]
 * ```
 */
export function linear(x: VarInput, weight: VarInput, bias?: VarInput): Var {
  return linearOp.apply(x, weight, bias);
}
