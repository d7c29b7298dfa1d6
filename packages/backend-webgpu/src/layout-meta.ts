// Host-side packing of shapes, strides and offsets into the u32 metadata words
// that programs read (see WGSL_STRIDED). Not the WGSL side.
import type { Layout } from "@bitnet-quantize/tensor";

/**
 * `[...strides, offset]` of a layout, as the strided helpers expect after a shared shape.
 *
 * @example
 * ```ts
 * stridesAndOffset({ shape: [2, 3], strides: [1, 2], offset: 4 }); // [1, 2, 4]
 * ```
 */
export function stridesAndOffset(layout: Layout): number[] {
  return [...layout.strides, layout.offset];
}

/**
 * Drops size-1 dimensions and merges neighbours that are contiguous with each
 * other in every layout given (all layouts share one shape): fewer dimensions
 * means less index arithmetic per element. Returns the merged shape and each
 * layout's merged strides.
 *
 * @example
 * ```ts
 * coalesce([2, 3], [[3, 1]]); // { shape: [6], strides: [[1]] }
 * ```
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d];
    if (size === 1) continue;
    const last = outShape.length - 1;
    const mergeable =
      last >= 0 &&
      strides.every((s, k) => {
        const prev = outStrides[k];
        return prev[last] === s[d] * size;
      });
    if (mergeable) {
      outShape[last] = outShape[last] * size;
      strides.forEach((s, k) => {
        outStrides[k][last] = s[d];
      });
    } else {
      outShape.push(size);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}
