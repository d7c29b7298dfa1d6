// The meaning of each unary primitive, in one table the compiler holds to the
// UnaryOp union: its dtype rule, its float64 scalar reference and the inputs
// the conformance suite checks it on. The CPU kernels, the WebGPU expressions,
// the float-only list and the conformance cases all derive from this table.
import type { UnaryOp } from "../backend.js";
import { roundHalfEven } from "../rounding.js";
import { erf32, erf64 } from "../scalar/erf.js";

/**
 * How a unary op treats dtypes: `"same"` keeps the input dtype (integers wrap
 * as their typed arrays store), `"float"` computes integer inputs in float32
 * (the result is not an integer), `"integral"` keeps the dtype and is the
 * identity on integer dtypes (rounding).
 *
 * @example
 * ```ts
 * const rule: UnaryDTypeRule = UNARY_OPS.exp.dtype; // "float"
 * ```
 */
export type UnaryDTypeRule = "same" | "float" | "integral";

/**
 * How closely a backend's float32 result must follow the reference:
 * `"exact"` (the float32 rounding of the reference) or `"transcendental"`
 * (relative 2e-5, absolute 2e-6, as GPU builtins give).
 *
 * @example
 * ```ts
 * const tol: OpTolerance = UNARY_OPS.sin.tolerance; // "transcendental"
 * ```
 */
export type OpTolerance = "exact" | "transcendental";

/**
 * One entry of {@link UNARY_OPS}: the meaning of a unary primitive.
 *
 * @example
 * ```ts
 * const info: UnaryOpInfo = UNARY_OPS.relu;
 * info.ref(-2); // 0
 * ```
 */
export interface UnaryOpInfo {
  /** The dtype rule. */
  readonly dtype: UnaryDTypeRule;
  /** The float64 scalar reference: the CPU result on float64 tensors, bit for bit. */
  readonly ref: (x: number) => number;
  /**
   * A cheaper formula good to float32 precision that float32 kernels may use
   * instead of `ref` (erf); absent where float32 kernels round `ref`.
   */
  readonly float32?: (x: number) => number;
  /** How closely float32 results must follow `ref`. */
  readonly tolerance: OpTolerance;
  /** Inputs (exact in float32) the conformance suite checks every backend on. */
  readonly samples: readonly number[];
}

const SPECIAL = [0, -0.5, 0.5, 1.5, 2.5, -2.5, -1.5, 3.7, -3.7, 10, -10, 1e-3, NaN];
const TRIG = [0, 0.5, -1, 2, 3, -3, NaN];
const SATURATING = [0, 0.5, -1, 3, -3, 20, -20, 100, -100, NaN];

/**
 * Every unary primitive's meaning, keyed by {@link UnaryOp}: adding a member to
 * the union without an entry here fails to compile.
 *
 * @example
 * ```ts
 * UNARY_OPS.sigmoid.ref(0); // 0.5
 * Object.keys(UNARY_OPS).filter((op) => UNARY_OPS[op as UnaryOp].dtype === "float"); // the float-only ops
 * ```
 */
export const UNARY_OPS = {
  neg: { dtype: "same", ref: (x) => -x, tolerance: "exact", samples: SPECIAL },
  abs: { dtype: "same", ref: Math.abs, tolerance: "exact", samples: SPECIAL },
  sign: { dtype: "same", ref: (x) => (x > 0 ? 1 : x < 0 ? -1 : x), tolerance: "exact", samples: SPECIAL }, // keeps 0, -0 and NaN
  exp: { dtype: "float", ref: Math.exp, tolerance: "transcendental", samples: [...SPECIAL, 20, -20, 100, -100] },
  log: { dtype: "float", ref: Math.log, tolerance: "transcendental", samples: [0.001, 0.5, 1, 2, 10, 1e6, 0, -1, NaN] },
  sqrt: { dtype: "float", ref: Math.sqrt, tolerance: "transcendental", samples: [0, 0.25, 1, 2, 1e6, -1, NaN] },
  rsqrt: { dtype: "float", ref: (x) => 1 / Math.sqrt(x), tolerance: "transcendental", samples: [0.25, 1, 2, 1e6, 0, -1, NaN] },
  sin: { dtype: "float", ref: Math.sin, tolerance: "transcendental", samples: TRIG },
  cos: { dtype: "float", ref: Math.cos, tolerance: "transcendental", samples: TRIG },
  tanh: { dtype: "float", ref: Math.tanh, tolerance: "transcendental", samples: SATURATING },
  // stable on both sides: never exp of a large positive number
  sigmoid: { dtype: "float", ref: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))), tolerance: "transcendental", samples: SATURATING },
  erf: { dtype: "float", ref: erf64, float32: erf32, tolerance: "transcendental", samples: [0, 1e-3, -0.25, 0.5, -1, 1.5, 2, -3, 5, 7, -7, NaN] },
  relu: { dtype: "same", ref: (x) => (x > 0 ? x : x !== x ? x : 0), tolerance: "exact", samples: SPECIAL },
  round: { dtype: "integral", ref: roundHalfEven, tolerance: "exact", samples: SPECIAL },
  floor: { dtype: "integral", ref: Math.floor, tolerance: "exact", samples: SPECIAL },
  ceil: { dtype: "integral", ref: Math.ceil, tolerance: "exact", samples: SPECIAL },
} as const satisfies Record<UnaryOp, UnaryOpInfo>;

/**
 * Whether `op` computes integer inputs in float32 (its result is not an integer).
 *
 * @example
 * ```ts
 * isFloatOnlyUnary("exp"); // true
 * isFloatOnlyUnary("neg"); // false
 * ```
 */
export function isFloatOnlyUnary(op: UnaryOp): boolean {
  return UNARY_OPS[op].dtype === "float";
}

/**
 * The unary ops, in the table's order.
 *
 * @example
 * ```ts
 * UNARY_OP_NAMES.includes("erf"); // true
 * ```
 */
export const UNARY_OP_NAMES: readonly UnaryOp[] = Object.keys(UNARY_OPS) as UnaryOp[];
