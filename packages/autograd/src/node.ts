// The graph node an op leaves behind on its output: which inputs need a
// gradient and how to compute those gradients. The engine walks these nodes;
// it never sees an op's typed saved state (that stays inside the op's context).
import type { Tensor } from "@bitnet-quantize/tensor";
import type { Var } from "./var.js";

/**
 * The record of one op application (PyTorch's `grad_fn`).
 *
 * @example
 * ```ts
 * const y = param(tensor([1, 2])).mul(2);
 * y.node?.name; // "mul"
 * ```
 */
export interface GradNode {
  /** The op's name, for messages. */
  readonly name: string;
  /** One entry per op argument: the `Var` that needs a gradient there, else `null`. */
  readonly inputs: readonly (Var | null)[];
  /** True once the saved tensors were dropped (after a backward without `retainGraph`). */
  readonly released: boolean;
  /** Gradients of the op's arguments given the gradient of its output (`null` where none is needed). */
  backward(gradOut: Tensor): readonly (Tensor | null)[];
  /** Drops the saved tensors. */
  release(): void;
}
