// The backward pass: an iterative topological sort of the graph below a root
// (no recursion, so 10,000-op chains are fine), then one sweep from the root
// to the leaves that calls each node's backward, checks gradient shapes,
// accumulates gradients of values used more than once, and releases saved
// tensors. Not here: the op rules (ops/*.ts).
import { type Tensor, add, full, onesLike, shapesEqual } from "@bitnet-quantize/tensor";
import { AutogradError, fmtShape } from "./errors.js";
import type { Var } from "./var.js";

/** Options of `Var.backward`. */
export interface BackwardOptions {
  /** Keep the saved tensors so that backward can run through this graph again (default false). */
  readonly retainGraph?: boolean;
}

/**
 * The values below `root` in an order where every value comes after all the
 * values it was computed from (a post-order DFS with an explicit stack).
 *
 * @example
 * ```ts
 * const x = param(tensor([1])); const y = x.mul(2);
 * topologicalOrder(y); // [x, y]
 * ```
 */
export function topologicalOrder(root: Var): Var[] {
  const order: Var[] = [];
  const visited = new Set<Var>();
  // Each entry is a value and whether its inputs were already pushed.
  const stack: [Var, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [v, expanded] = stack.pop() as [Var, boolean];
    if (expanded) {
      order.push(v);
      continue;
    }
    if (visited.has(v)) continue;
    visited.add(v);
    stack.push([v, true]);
    const inputs = v.node?.inputs ?? [];
    for (const input of inputs) if (input !== null && !visited.has(input)) stack.push([input, false]);
  }
  return order;
}

function seedGradient(root: Var, gradOutput: Tensor | number | undefined): Tensor {
  if (gradOutput === undefined) {
    if (root.size !== 1) {
      throw new AutogradError(
        `backward: a gradient can only be created implicitly for a one-element output; this output has shape ${fmtShape(root.shape)}, so pass backward(gradOutput)`,
      );
    }
    return onesLike(root.value);
  }
  if (typeof gradOutput === "number") return full(root.shape, gradOutput, root.dtype, root.value.backend);
  if (!shapesEqual(gradOutput.shape, root.shape)) {
    throw new AutogradError(`backward: gradOutput has shape ${fmtShape(gradOutput.shape)}, the output has shape ${fmtShape(root.shape)}`);
  }
  return gradOutput.dtype === root.dtype ? gradOutput : gradOutput.cast(root.dtype);
}

function accumulate(existing: Tensor | null | undefined, g: Tensor): Tensor {
  return existing === null || existing === undefined ? g : add(existing, g);
}

/**
 * Runs backward from `root` (what `Var.backward` calls): gradients reach every
 * leaf below it that requires one and are added to the leaf's `grad`.
 *
 * @example
 * ```ts
 * const x = param(tensor([2]));
 * backward(x.mul(x)); // x.grad is [4]
 * ```
 */
export function backward(root: Var, gradOutput?: Tensor | number, opts: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new AutogradError("backward: the output does not require a gradient (no input requires one, or it was computed under noGrad)");
  }
  const seed = seedGradient(root, gradOutput);
  const order = topologicalOrder(root);
  const grads = new Map<Var, Tensor>([[root, seed]]);
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i];
    const g = grads.get(v);
    if (g === undefined) continue;
    grads.delete(v);
    const node = v.node;
    if (node === null || v.retainsGrad) v.grad = accumulate(v.grad, g);
    if (node === null) continue;
    if (node.released) {
      throw new AutogradError(
        `backward through ${node.name} a second time: its saved tensors were released; pass { retainGraph: true } to the first backward`,
      );
    }
    const inputGrads = node.backward(g);
    node.inputs.forEach((input, k) => {
      if (input === null) return;
      const ig = inputGrads[k];
      if (ig === null || ig === undefined) return;
      if (!shapesEqual(ig.shape, input.shape)) {
        throw new AutogradError(
          `backward of ${node.name}: the gradient of argument ${k} has shape ${fmtShape(ig.shape)}, but the argument has shape ${fmtShape(input.shape)}`,
        );
      }
      const cast = ig.dtype === input.dtype ? ig : ig.cast(input.dtype);
      grads.set(input, accumulate(grads.get(input), cast));
    });
    if (opts.retainGraph !== true) node.release();
  }
}
