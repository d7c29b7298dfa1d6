// Which autograd op differentiates each elementwise tensor primitive, keyed by
// the tensor package's UnaryOp and BinaryOp unions: adding a primitive there
// without deciding its gradient here fails to compile. null marks primitives
// that are piecewise constant (gradient 0 almost everywhere) and so have no op.
import type { BinaryOp, UnaryOp } from "@bitnet-quantize/tensor";
import { absOp } from "./ops/abs.js";
import { addOp } from "./ops/add.js";
import { cosOp } from "./ops/cos.js";
import { divOp } from "./ops/div.js";
import { erfOp } from "./ops/erf.js";
import { expOp } from "./ops/exp.js";
import { logOp } from "./ops/log.js";
import { maximumOp } from "./ops/maximum.js";
import { minimumOp } from "./ops/minimum.js";
import { mulOp } from "./ops/mul.js";
import { negOp } from "./ops/neg.js";
import { powOp } from "./ops/pow.js";
import { reluOp } from "./ops/relu.js";
import { rsqrtOp } from "./ops/rsqrt.js";
import { sigmoidOp } from "./ops/sigmoid.js";
import { sinOp } from "./ops/sin.js";
import { sqrtOp } from "./ops/sqrt.js";
import { subOp } from "./ops/sub.js";
import { tanhOp } from "./ops/tanh.js";
import type { CoveredOp } from "./op-table.js";

/**
 * The autograd op of each unary tensor primitive, or null where the primitive
 * is piecewise constant. Every non-null op is in `OPS` (a test checks it).
 *
 * @example
 * ```ts
 * UNARY_GRADIENTS.erf === erfOp; // true
 * UNARY_GRADIENTS.round; // null
 * ```
 */
export const UNARY_GRADIENTS: Readonly<Record<UnaryOp, CoveredOp | null>> = {
  neg: negOp,
  abs: absOp,
  sign: null,
  exp: expOp,
  log: logOp,
  sqrt: sqrtOp,
  rsqrt: rsqrtOp,
  sin: sinOp,
  cos: cosOp,
  tanh: tanhOp,
  sigmoid: sigmoidOp,
  erf: erfOp,
  relu: reluOp,
  round: null,
  floor: null,
  ceil: null,
};

/**
 * The autograd op of each binary tensor primitive, or null for comparisons
 * (piecewise constant). Every non-null op is in `OPS` (a test checks it).
 *
 * @example
 * ```ts
 * BINARY_GRADIENTS.pow === powOp; // true
 * BINARY_GRADIENTS.lt; // null
 * ```
 */
export const BINARY_GRADIENTS: Readonly<Record<BinaryOp, CoveredOp | null>> = {
  add: addOp,
  sub: subOp,
  mul: mulOp,
  div: divOp,
  pow: powOp,
  maximum: maximumOp,
  minimum: minimumOp,
  eq: null,
  ne: null,
  lt: null,
  gt: null,
  le: null,
  ge: null,
};
