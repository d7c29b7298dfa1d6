// Strided access helpers for the CPU kernels: turn any view into a row-major
// typed array (zero-copy when the view is already contiguous).
import type { DType, DTypeMap, TypedArray } from "../dtype.js";
import { allocTyped } from "../dtype.js";
import type { Layout } from "../layout.js";
import { isContiguous } from "../layout.js";
import { numel } from "../shape.js";

/**
 * Calls `visit(base, p)` for every row (all dimensions but the last) of a
 * layout in row-major order: `base` is the storage index of the row's first
 * element, `p` its position in the row-major output. 0-d layouts have one
 * row of one element.
 */
function forEachRow(layout: Layout, visit: (base: number, p: number) => void): void {
  const { shape, strides, offset } = layout;
  const nd = shape.length;
  const inner = nd === 0 ? 1 : shape[nd - 1];
  const n = numel(shape);
  if (n === 0) return;
  const counter = new Array<number>(nd).fill(0);
  let base = offset;
  for (let p = 0; p < n; p += inner) {
    visit(base, p);
    for (let d = nd - 2; d >= 0; d--) {
      const st = strides[d];
      counter[d] = counter[d] + 1;
      base += st;
      if (counter[d] < shape[d]) break;
      base -= st * shape[d];
      counter[d] = 0;
    }
  }
}

/**
 * The storage index of every element of a layout, in row-major order.
 * `[2,2]` with strides `[1,2]` (a transpose) gives `[0, 2, 1, 3]`.
 */
export function elementOffsets(layout: Layout): Int32Array {
  const out = new Int32Array(numel(layout.shape));
  const nd = layout.shape.length;
  const inner = nd === 0 ? 1 : layout.shape[nd - 1];
  const innerStride = nd === 0 ? 0 : layout.strides[nd - 1];
  forEachRow(layout, (base, p) => {
    for (let j = 0; j < inner; j++) out[p + j] = base + j * innerStride;
  });
  return out;
}

/**
 * The elements of a view in row-major order. Returns `data` itself or a
 * subarray of it (no copy) when the view is contiguous: callers must not
 * write to it. Otherwise copies row by row: broadcast (stride 0) values are
 * filled, unit-stride rows are block-copied, other rows gathered.
 */
export function rowMajor<D extends DType>(data: DTypeMap[D], layout: Layout): DTypeMap[D] {
  const n = numel(layout.shape);
  if (isContiguous(layout)) {
    // the array itself when the view covers it (keeps its identity for caches keyed on it)
    if (layout.offset === 0 && n === data.length) return data;
    return data.subarray(layout.offset, layout.offset + n) as DTypeMap[D];
  }
  const out = allocTyped(dtypeOf(data), n) as DTypeMap[D];
  if (layout.strides.every((st) => st === 0)) {
    out.fill(data[layout.offset]);
    return out;
  }
  const nd = layout.shape.length;
  const inner = layout.shape[nd - 1];
  const innerStride = layout.strides[nd - 1];
  forEachRow(layout, (base, p) => {
    if (innerStride === 1 && inner >= 16) out.set(data.subarray(base, base + inner), p);
    else if (innerStride === 0) out.fill(data[base], p, p + inner);
    else for (let j = 0; j < inner; j++) out[p + j] = data[base + j * innerStride];
  });
  return out;
}

function dtypeOf(a: TypedArray): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Int32Array) return "int32";
  if (a instanceof Int8Array) return "int8";
  if (a instanceof Uint8Array) return "uint8";
  return "uint32";
}
