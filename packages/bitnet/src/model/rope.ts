// Rotary position embedding, NEOX style (llama.cpp rope type 2, HF
// "rotate_half"): inside each head, the pair (i, i + D/2) is rotated by
// pos·θ^(−2i/D). Tables are built in float32 the way ggml builds them
// (θ_i = pos·s^i by repeated float multiplication), so logits line up with
// llama.cpp's. Not the attention around it.
//
// Shapes: T positions, D head size, P = D/2 pairs; x [..., T, D].
import { type Var, concat } from "@bitnet-quantize/autograd";
import { type Tensor, tensor } from "@bitnet-quantize/tensor";
import { fmaF32 } from "./ggml-float.js";
import { cosfGlibc, sinfGlibc } from "./glibc-sincosf.js";

/**
 * cos and sin of every (position, pair) angle: `cos[t·P + i]`, `sin[t·P + i]`.
 *
 * @example
 * ```ts
 * const r = ropeTables(4, 8, 10000);
 * r.cos[0]; // 1 (position 0)
 * ```
 */
export interface RopeTables {
  readonly positions: number;
  readonly pairs: number;
  readonly cos: Float32Array;
  readonly sin: Float32Array;
}

/**
 * Builds the tables for positions `0..positions-1` and a head size `headDim`
 * (even) with base `theta`, in float32 as ggml's `ggml_rope_cache_init`.
 *
 * @example
 * ```ts
 * const r = ropeTables(2, 4, 10000);
 * r.sin[2]; // sin(1) ≈ 0.841 (position 1, pair 0)
 * ```
 */
export function ropeTables(positions: number, headDim: number, theta: number): RopeTables {
  return buildRopeTables(positions, headDim, theta, Math.cos, Math.sin);
}

/**
 * {@link ropeTables} with cos and sin as llama.cpp gets them on x86-64 Linux:
 * glibc's `cosf`/`sinf` ({@link cosfGlibc}, {@link sinfGlibc}), which differ
 * from the correctly rounded values by one ulp in about 1.3% of entries
 * (positions 0..8191, D = 96). The `arithmetic: "ggml"` inference
 * mode's tables.
 *
 * @example
 * ```ts
 * const r = ropeTablesGgml(2, 4, 10000);
 * r.sin[2]; // 0.8414709568023682 (sinfGlibc(1): position 1, pair 0)
 * ```
 */
export function ropeTablesGgml(positions: number, headDim: number, theta: number): RopeTables {
  return buildRopeTables(positions, headDim, theta, cosfGlibc, sinfGlibc);
}

/** The tables with the given cos and sin of each float32 angle, stored as float32. */
function buildRopeTables(positions: number, headDim: number, theta: number, cosOf: (x: number) => number, sinOf: (x: number) => number): RopeTables {
  const pairs = headDim / 2;
  const f = Math.fround;
  const scale = f(Math.pow(f(theta), f(-2 / headDim)));
  const cos = new Float32Array(positions * pairs);
  const sin = new Float32Array(positions * pairs);
  for (let t = 0; t < positions; t++) {
    let angle = f(t);
    for (let i = 0; i < pairs; i++) {
      cos[t * pairs + i] = cosOf(angle);
      sin[t * pairs + i] = sinOf(angle);
      angle = f(angle * scale);
    }
  }
  return { positions, pairs, cos, sin };
}

/**
 * The first `T` rows of the tables as `[T, P]` tensors (for the autograd path).
 *
 * @example
 * ```ts
 * ropeTensors(ropeTables(8, 4, 1e4), 3).cos.shape; // [3, 2]
 * ```
 */
export function ropeTensors(r: RopeTables, T: number): { cos: Tensor; sin: Tensor } {
  return {
    cos: tensor(r.cos.subarray(0, T * r.pairs), [T, r.pairs]),
    sin: tensor(r.sin.subarray(0, T * r.pairs), [T, r.pairs]),
  };
}

/**
 * Rotates x `[..., T, D]` (positions 0..T-1) with `[T, P]` tables:
 * `out[i] = x[i]·cos − x[i+P]·sin`, `out[i+P] = x[i+P]·cos + x[i]·sin`.
 *
 * @example
 * ```ts
 * const { cos, sin } = ropeTensors(ropeTables(3, 4, 1e4), 3);
 * applyRope(q, cos, sin).shape; // q.shape
 * ```
 */
export function applyRope(x: Var, cos: Tensor, sin: Tensor): Var {
  const D = x.shape[x.ndim - 1];
  const P = D / 2;
  const x1 = x.narrow(-1, 0, P);
  const x2 = x.narrow(-1, P, P);
  return concat([x1.mul(cos).sub(x2.mul(sin)), x2.mul(cos).add(x1.mul(sin))], -1);
}

/**
 * Rotates one head vector in place: `v[off..off+D)` at table row `t`.
 *
 * @example
 * ```ts
 * ropeInPlace(q, 0, 64, tables, 5); // q[0..64) rotated for position 5
 * ```
 */
export function ropeInPlace(v: Float32Array, off: number, D: number, r: RopeTables, t: number): void {
  const P = D / 2;
  for (let i = 0; i < P; i++) {
    const c = r.cos[t * r.pairs + i];
    const s = r.sin[t * r.pairs + i];
    const a = v[off + i];
    const b = v[off + i + P];
    v[off + i] = a * c - b * s;
    v[off + i + P] = b * c + a * s;
  }
}

/**
 * {@link ropeInPlace} as llama.cpp's CPU backend computes it (the NEOX loop of
 * `ggml_compute_forward_rope_f32`, where GCC fuses one product of each
 * difference into an FMA): `out[i] = fma(a, cos, −f32(b·sin))`,
 * `out[i+P] = fma(a, sin, f32(b·cos))` with a = v[i], b = v[i+P]. The
 * `arithmetic: "ggml"` inference mode's rotation (with {@link ropeTablesGgml}).
 *
 * @example
 * ```ts
 * const q = new Float32Array(64).fill(1);
 * ropeInPlaceGgml(q, 0, 64, ropeTablesGgml(8, 64, 10000), 5); // q[0..64) rotated for position 5
 * q[0]; // cos 5 - sin 5 ≈ 1.2425
 * ```
 */
export function ropeInPlaceGgml(v: Float32Array, off: number, D: number, r: RopeTables, t: number): void {
  const P = D / 2;
  for (let i = 0; i < P; i++) {
    const c = r.cos[t * r.pairs + i];
    const s = r.sin[t * r.pairs + i];
    const a = v[off + i];
    const b = v[off + i + P];
    v[off + i] = fmaF32(a, c, -Math.fround(b * s));
    v[off + i + P] = fmaF32(a, s, Math.fround(b * c));
  }
}
