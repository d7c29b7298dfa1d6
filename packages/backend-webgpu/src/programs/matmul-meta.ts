// Metadata shared by the matmul kernels: the strides of a batched
// `[...B, M, K] x [...B, K, N]` product, batch dimensions coalesced, and the
// split of K into slices (split-K) that bounds every shader loop. Not a kernel.
import type { Layout } from "@bitnet-quantize/tensor";
import { coalesce } from "../layout-meta.js";
import { SPLIT_LOOP_ITERATIONS } from "../program.js";

/**
 * Depth of one K slice: a product with a longer K writes one partial product
 * per slice (`[batch, slices, M, N]`) and the backend sums the slices.
 *
 * @example
 * ```ts
 * Math.ceil(100_000 / MATMUL_K_SLICE); // 25 slices
 * ```
 */
export const MATMUL_K_SLICE = SPLIT_LOOP_ITERATIONS;

/** Shapes of one batched matmul. */
export interface MatmulDims {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** K slices (1 unless K exceeds {@link MATMUL_K_SLICE}); the output is `[batch, slices, M, N]`. */
  readonly slices: number;
}

/**
 * Dimensions and metadata `[M, N, K, nb, aSM, aSK, bSK, bSN, aOff, bOff, batchShape, aBatchStrides, bBatchStrides, slices, sliceDepth]`.
 *
 * @example
 * ```ts
 * matmulMeta(contiguousLayout([2, 3]), contiguousLayout([3, 4])).dims; // { batch: 1, m: 2, n: 4, k: 3, slices: 1 }
 * ```
 */
export function matmulMeta(a: Layout, b: Layout): { dims: MatmulDims; meta: Uint32Array } {
  const nd = a.shape.length;
  const m = a.shape[nd - 2];
  const k = a.shape[nd - 1];
  const n = b.shape[nd - 1];
  const batchShape = a.shape.slice(0, nd - 2);
  const merged = coalesce(batchShape, [a.strides.slice(0, nd - 2), b.strides.slice(0, nd - 2)]);
  const batch = batchShape.reduce((x, y) => x * y, 1);
  const slices = Math.max(1, Math.ceil(k / MATMUL_K_SLICE));
  const meta = Uint32Array.from([
    m,
    n,
    k,
    merged.shape.length,
    a.strides[nd - 2],
    a.strides[nd - 1],
    b.strides[nd - 2],
    b.strides[nd - 1],
    a.offset,
    b.offset,
    ...merged.shape,
    ...merged.strides[0],
    ...merged.strides[1],
    slices,
    MATMUL_K_SLICE,
  ]);
  return { dims: { batch, m, n, k, slices }, meta };
}

/**
 * WGSL: `batchBases(z)` gives the storage offsets of batch z's A and B
 * matrices; `kSlice(z)` the K range `[begin, end)` of dispatch layer z
 * (z = batch · slices + slice), `batchOf(z)` its batch.
 */
export const WGSL_BATCH_BASES = /* wgsl */ `
fn batchBases(z: u32) -> vec2<u32> {
  let nb = md[3];
  var rem = z;
  var ao = md[8];
  var bo = md[9];
  for (var d = i32(nb) - 1; d >= 0; d--) {
    let s = md[10u + u32(d)];
    let c = rem % s;
    rem = rem / s;
    ao += c * md[10u + nb + u32(d)];
    bo += c * md[10u + 2u * nb + u32(d)];
  }
  return vec2<u32>(ao, bo);
}
fn slicesAt() -> u32 { return 10u + 3u * md[3]; }
fn batchOf(z: u32) -> u32 { return z / md[slicesAt()]; }
fn kSlice(z: u32) -> vec2<u32> {
  let s = z % md[slicesAt()];
  let depth = md[slicesAt() + 1u];
  return vec2<u32>(s * depth, min(md[2], (s + 1u) * depth));
}`;
