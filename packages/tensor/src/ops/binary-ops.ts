// The meaning of each binary primitive, in one table the compiler holds to the
// BinaryOp union: its dtype rule and its float64 scalar reference. The CPU
// kernels, the WebGPU expressions, the comparison list and the conformance
// cases derive from this table.
import type { BinaryOp } from "../backend.js";
import type { OpTolerance } from "./unary-ops.js";

/**
 * How a binary op treats dtypes (after the operands are promoted to one dtype):
 * `"promote"` gives the promoted dtype, `"float"` gives float32 for integer
 * operands (true division, as torch.div), `"compare"` gives uint8 0/1.
 *
 * @example
 * ```ts
 * const rule: BinaryDTypeRule = BINARY_OPS.lt.dtype; // "compare"
 * ```
 */
export type BinaryDTypeRule = "promote" | "float" | "compare";

/**
 * One entry of {@link BINARY_OPS}: the meaning of a binary primitive.
 *
 * @example
 * ```ts
 * const info: BinaryOpInfo = BINARY_OPS.maximum;
 * info.ref(1, NaN); // NaN
 * ```
 */
export interface BinaryOpInfo {
  /** The dtype rule. */
  readonly dtype: BinaryDTypeRule;
  /** The float64 scalar reference (comparisons give 1 or 0): the CPU result on float64 tensors. */
  readonly ref: (a: number, b: number) => number;
  /** How closely float32 results must follow `ref`. */
  readonly tolerance: OpTolerance;
}

/**
 * Every binary primitive's meaning, keyed by {@link BinaryOp}: adding a member
 * to the union without an entry here fails to compile.
 *
 * @example
 * ```ts
 * BINARY_OPS.pow.ref(2, 10); // 1024
 * BINARY_OPS.ge.ref(1, 1); // 1
 * ```
 */
export const BINARY_OPS = {
  add: { dtype: "promote", ref: (a, b) => a + b, tolerance: "exact" },
  sub: { dtype: "promote", ref: (a, b) => a - b, tolerance: "exact" },
  mul: { dtype: "promote", ref: (a, b) => a * b, tolerance: "exact" },
  div: { dtype: "float", ref: (a, b) => a / b, tolerance: "transcendental" },
  pow: { dtype: "promote", ref: (a, b) => a ** b, tolerance: "transcendental" },
  maximum: { dtype: "promote", ref: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b), tolerance: "exact" },
  minimum: { dtype: "promote", ref: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b), tolerance: "exact" },
  eq: { dtype: "compare", ref: (a, b) => (a === b ? 1 : 0), tolerance: "exact" },
  ne: { dtype: "compare", ref: (a, b) => (a !== b ? 1 : 0), tolerance: "exact" },
  lt: { dtype: "compare", ref: (a, b) => (a < b ? 1 : 0), tolerance: "exact" },
  gt: { dtype: "compare", ref: (a, b) => (a > b ? 1 : 0), tolerance: "exact" },
  le: { dtype: "compare", ref: (a, b) => (a <= b ? 1 : 0), tolerance: "exact" },
  ge: { dtype: "compare", ref: (a, b) => (a >= b ? 1 : 0), tolerance: "exact" },
} as const satisfies Record<BinaryOp, BinaryOpInfo>;

/**
 * The binary ops, in the table's order.
 *
 * @example
 * ```ts
 * BINARY_OP_NAMES.length; // 13
 * ```
 */
export const BINARY_OP_NAMES: readonly BinaryOp[] = Object.keys(BINARY_OPS) as BinaryOp[];
