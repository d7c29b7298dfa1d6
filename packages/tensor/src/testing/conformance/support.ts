// Expectation helpers of the conformance suite: deterministic inputs, index
// walks, dtype storage rules, and the comparisons that throw ConformanceError.
import type { Backend, BinaryOp, UnaryOp } from "../../backend.js";
import type { DType } from "../../dtype.js";
import type { Tensor } from "../../tensor.js";
import * as elementwise from "../../ops/elementwise.js";
import { type ConformanceCase, ConformanceError } from "./types.js";

/** Deterministic values in [lo, hi) (mulberry32), independent of the library's RNG. */
export function values(n: number, seed: number, lo = -2, hi = 2): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out.push(Math.fround(lo + (hi - lo) * u));
  }
  return out;
}

export function ints(n: number, seed: number, lo: number, hi: number): number[] {
  return values(n, seed, 0, 1).map((u) => lo + Math.floor(u * (hi - lo)));
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = (s[d + 1]) * (shape[d + 1]);
  return s;
}

/** Calls f with every multi-index of shape, in row-major order. */
export function forEachIndex(shape: readonly number[], f: (idx: number[], flat: number) => void): void {
  const n = shape.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    f(idx, flat);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = (idx[d]) + 1;
      if ((idx[d]) < (shape[d])) break;
      idx[d] = 0;
    }
  }
}

export interface Tol {
  readonly rtol?: number;
  readonly atol?: number;
  /** Per-element absolute tolerance (added to atol). */
  readonly atolEach?: readonly number[];
}

/** Stores a JS number as a dtype's typed array would. */
export function stored(v: number, dtype: DType): number {
  switch (dtype) {
    case "float32":
      return Math.fround(v);
    case "float64":
      return v;
    case "int32":
      return v | 0;
    case "uint32":
      return v >>> 0;
    case "int8":
      return (v << 24) >> 24;
    case "uint8":
      return v & 255;
  }
}

export async function expectData(name: string, t: Tensor, shape: readonly number[], dtype: DType, expected: readonly number[], tol: Tol = {}): Promise<void> {
  if (t.dtype !== dtype) throw new ConformanceError(name, `dtype ${t.dtype}, expected ${dtype}`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new ConformanceError(name, `shape [${t.shape.join(",")}], expected [${shape.join(",")}]`);
  }
  const got = await t.data();
  if (got.length !== expected.length) throw new ConformanceError(name, `${got.length} elements, expected ${expected.length}`);
  const rtol = tol.rtol ?? 0;
  const atol = tol.atol ?? 0;
  for (let i = 0; i < got.length; i++) {
    const a = got[i];
    const e = expected[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) && Number.isNaN(a)) continue;
      throw new ConformanceError(name, `element ${i}: got ${a}, expected ${e}`);
    }
    if (a === e) continue;
    const bound = atol + (tol.atolEach?.[i] ?? 0) + rtol * Math.abs(e);
    if (!(Math.abs(a - e) <= bound) || !Number.isFinite(e)) {
      throw new ConformanceError(name, `element ${i}: got ${a}, expected ${e} (tolerance ${bound})`);
    }
  }
}

/**
 * Expects `run` to reject with an `errorClass` error: thrown at the call on
 * backends that read synchronously (CPU), at the next read on the others (WebGPU).
 */
export async function expectRejects(name: string, errorClass: new (...args: never[]) => Error, run: () => Promise<unknown>): Promise<void> {
  let caught: unknown;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  if (caught === undefined) throw new ConformanceError(name, `expected ${errorClass.name}, nothing was thrown`);
  if (!(caught instanceof errorClass)) throw new ConformanceError(name, `expected ${errorClass.name}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : JSON.stringify(caught)}`);
}


export const TRANSCENDENTAL = { rtol: 2e-5, atol: 2e-6 };
/** Division (1e-6) and pow (2e-6, exp2(y·log2 x) on GPUs) on float32: a few ulp. */
export function binaryTol(op: BinaryOp): Tol {
  return { rtol: op === "pow" ? 2e-6 : 1e-6 };
}

/** The public function of a unary op (each op's function has the op's name). */
export function unaryOp(op: UnaryOp, x: Tensor): Tensor {
  return elementwise[op](x);
}

/** The public function of a binary op (each op's function has the op's name). */
export function binaryOp(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  return elementwise[op](a, b);
}

/** A function that appends a named case to `cases`. */
export function caseAdder(cases: ConformanceCase[]): (name: string, run: (b: Backend) => Promise<void>) => void {
  return (name, run) => {
    cases.push({ name, run });
  };
}

/** Reference float matmul in float64 (batched or broadcast B) and a per-element error bound for float32 backends. */
export function refMatmul(a: readonly number[], c: readonly number[], batch: number, m: number, k: number, n: number, bBatched: boolean): { out: number[]; bound: number[] } {
  const out: number[] = [];
  const bound: number[] = [];
  for (let z = 0; z < batch; z++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let sa = 0;
        for (let p = 0; p < k; p++) {
          const x = a[z * m * k + i * k + p];
          const y = c[(bBatched ? z * k * n : 0) + p * n + j];
          s += x * y;
          sa += Math.abs(x * y);
        }
        out.push(s);
        bound.push(sa * 4e-6 * Math.max(1, Math.log2(k)));
      }
    }
  }
  return { out, bound };
}
