// The typed error this package throws. Messages name the op, the shapes and
// what was expected; tensor-level errors (ShapeError, ...) pass through as is.

/**
 * An autograd misuse: a gradient of the wrong shape, backward through a graph
 * whose saved tensors were released, a non-scalar root without a gradient,
 * a state dict that does not fit a module.
 *
 * @example
 * ```ts
 * try { param(zeros([2])).backward(); } catch (e) { e instanceof AutogradError; } // true
 * ```
 */
export class AutogradError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AutogradError";
  }
}

// One shape format across packages: the tensor package's.
export { fmtShape } from "@bitnet-quantize/tensor";
