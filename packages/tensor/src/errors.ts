// The typed errors this package throws. Each names the op and what was wrong.

/**
 * Base class of every error thrown by `@bitnet-quantize/tensor`.
 *
 * @example
 * ```ts
 * try { zeros([2]).reshape([3]); } catch (e) { e instanceof TensorError; } // true
 * ```
 */
export class TensorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Shapes that do not fit the op: names the op and the shapes involved.
 *
 * @example
 * ```ts
 * add(zeros([2, 3]), zeros([4])); // throws ShapeError: add: shapes [2,3] and [4] do not broadcast
 * ```
 */
export class ShapeError extends TensorError {}

/**
 * A dtype the op does not accept, or dtypes that do not match.
 *
 * @example
 * ```ts
 * matmul(zeros([2, 2], "int8"), zeros([2, 2], "int8")); // throws DTypeError: matmul: needs float operands
 * ```
 */
export class DTypeError extends TensorError {}

/**
 * An argument out of range or of the wrong kind (an axis, an index, a count).
 *
 * @example
 * ```ts
 * zeros([2]).sum(3); // throws ArgumentError: sum: axis 3 is out of range for 1 dimension(s)
 * ```
 */
export class ArgumentError extends TensorError {}

/**
 * Tensors on different backends in one op, a disposed tensor, or a backend
 * that cannot do what was asked (for example a synchronous read on the GPU).
 *
 * @example
 * ```ts
 * const t = zeros([1]); t.dispose(); t.dataSync(); // throws BackendError: tensor was disposed
 * ```
 */
export class BackendError extends TensorError {}

/**
 * Formats a shape for error messages, the one format every package uses.
 *
 * @example
 * ```ts
 * fmtShape([2, 3]); // "[2,3]"
 * ```
 */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}
