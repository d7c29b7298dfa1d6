// Metadata shared by the matmul kernels: the strides of a batched
// `[...B, M, K] x [...B, K, N]` product, batch dimensions coalesced. Not a kernel.
import type { Layout } from "@bitnet-quantize/tensor";
import { coalesce } from "../layout-meta.js";

/** Shapes of one batched matmul. */
export interface MatmulDims {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

/**
 * Dimensions and metadata `[M, N, K, nb, aSM, aSK, bSK, bSN, aOff, bOff, batchShape, aBatchStrides, bBatchStrides]`.
 *
 * @example
 * ```ts
 * matmulMeta(contiguousLayout([2, 3]), contiguousLayout([3, 4])).dims; // { batch: 1, m: 2, n: 4, k: 3 }
 * ```
 */
export function matmulMeta(a: Layout, b: Layout): { dims: MatmulDims; meta: Uint32Array } {
  const nd = a.shape.length;
  const m = a.shape[nd - 2] as number;
  const k = a.shape[nd - 1] as number;
  const n = b.shape[nd - 1] as number;
  const batchShape = a.shape.slice(0, nd - 2);
  const merged = coalesce(batchShape, [a.strides.slice(0, nd - 2), b.strides.slice(0, nd - 2)]);
  const batch = batchShape.reduce((x, y) => x * y, 1);
  const meta = Uint32Array.from([
    m,
    n,
    k,
    merged.shape.length,
    a.strides[nd - 2] as number,
    a.strides[nd - 1] as number,
    b.strides[nd - 2] as number,
    b.strides[nd - 1] as number,
    a.offset,
    b.offset,
    ...merged.shape,
    ...(merged.strides[0] as number[]),
    ...(merged.strides[1] as number[]),
  ]);
  return { dims: { batch, m, n, k }, meta };
}

/** WGSL: `batchBases(z)` gives the storage offsets of batch z's A and B matrices. */
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
}`;
