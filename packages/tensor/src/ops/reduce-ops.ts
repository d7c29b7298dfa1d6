// The meaning of each reduction primitive, in one table the compiler holds to
// the ReduceOp union: its dtype rule, whether an empty run is allowed, and its
// scalar reference over one run of values. The CPU kernel's loops, the empty
// check of ops/reduce.ts and the conformance cases derive from this table.
import type { ReduceOp } from "../backend.js";

/**
 * How a reduction treats dtypes: `"accumulate"` sums in the input dtype
 * (int8/uint8 widened to int32, as PyTorch), `"same"` keeps the input dtype,
 * `"index"` writes int32 positions along the reduced run.
 *
 * @example
 * ```ts
 * const rule: ReduceDTypeRule = REDUCE_OPS.argmax.dtype; // "index"
 * ```
 */
export type ReduceDTypeRule = "accumulate" | "same" | "index";

/**
 * One entry of {@link REDUCE_OPS}: the meaning of a reduction.
 *
 * @example
 * ```ts
 * const info: ReduceOpInfo = REDUCE_OPS.max;
 * info.ref([1, NaN, 3]); // NaN
 * ```
 */
export interface ReduceOpInfo {
  /** The dtype rule. */
  readonly dtype: ReduceDTypeRule;
  /** Whether an empty run has a value (the identity); max/min/argmax/argmin throw on it. */
  readonly emptyOk: boolean;
  /** The float64 reference over one run, in order: the CPU result on float64 tensors. */
  readonly ref: (run: readonly number[]) => number;
}

/** The extreme value of a run (the first of equals); NaN propagates. */
function extremeRef(better: (v: number, m: number) => boolean, start: number): (run: readonly number[]) => number {
  return (run) => {
    let m = start;
    for (const v of run) {
      if (v !== v) return v;
      if (better(v, m)) m = v;
    }
    return m;
  };
}

/** Index of the first extreme value (`better(v, best)` true when v wins); NaN wins at once. */
function argRef(better: (v: number, best: number) => boolean): (run: readonly number[]) => number {
  return (run) => {
    let bi = 0;
    for (let j = 1; j < run.length && run[bi] === run[bi]; j++) {
      const v = run[j];
      if (v !== v || better(v, run[bi])) bi = j;
    }
    return bi;
  };
}

/**
 * Every reduction's meaning, keyed by {@link ReduceOp}: adding a member to the
 * union without an entry here fails to compile.
 *
 * @example
 * ```ts
 * REDUCE_OPS.prod.ref([2, 3, 4]); // 24
 * REDUCE_OPS.argmin.ref([3, 1, 1]); // 1
 * ```
 */
export const REDUCE_OPS = {
  sum: { dtype: "accumulate", emptyOk: true, ref: (run) => run.reduce((s, v) => s + v, 0) },
  prod: { dtype: "accumulate", emptyOk: true, ref: (run) => run.reduce((s, v) => s * v, 1) },
  max: { dtype: "same", emptyOk: false, ref: extremeRef((v, m) => v > m, -Infinity) },
  min: { dtype: "same", emptyOk: false, ref: extremeRef((v, m) => v < m, Infinity) },
  argmax: { dtype: "index", emptyOk: false, ref: argRef((v, best) => v > best) },
  argmin: { dtype: "index", emptyOk: false, ref: argRef((v, best) => v < best) },
} as const satisfies Record<ReduceOp, ReduceOpInfo>;

/**
 * The reductions, in the table's order.
 *
 * @example
 * ```ts
 * REDUCE_OP_NAMES; // ["sum", "prod", "max", "min", "argmax", "argmin"]
 * ```
 */
export const REDUCE_OP_NAMES: readonly ReduceOp[] = Object.keys(REDUCE_OPS) as ReduceOp[];
