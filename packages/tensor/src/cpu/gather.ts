// CPU index kernels: gather, its adjoint scatterAdd, and concat.
import type { TypedArray } from "../dtype.js";
import { ArgumentError } from "../errors.js";
import { contiguousStrides, numel } from "../shape.js";

/**
 * `out[p] = x[p with coordinate axis replaced by index[p]]`, for every p in
 * index's (row-major) shape. `x` is row-major with shape `xShape`.
 */
export function gatherKernel(x: TypedArray, xShape: readonly number[], axis: number, index: TypedArray, indexShape: readonly number[], out: TypedArray): void {
  const xStrides = contiguousStrides(xShape);
  const nd = indexShape.length;
  const counter = new Array<number>(nd).fill(0);
  const size = xShape[axis];
  const n = numel(indexShape);
  for (let p = 0; p < n; p++) {
    const idx = index[p];
    if (idx < 0 || idx >= size || !Number.isInteger(idx)) {
      throw new ArgumentError(`gather: index ${idx} is out of range for dimension ${axis} of size ${size}`);
    }
    let off = 0;
    for (let d = 0; d < nd; d++) off += (d === axis ? idx : counter[d]) * xStrides[d];
    out[p] = x[off];
    for (let d = nd - 1; d >= 0; d--) {
      counter[d] = counter[d] + 1;
      if (counter[d] < indexShape[d]) break;
      counter[d] = 0;
    }
  }
}

/** `out` (row-major `outShape`, zero-filled) gets `src[p]` added at p with coordinate axis replaced by `index[p]`. */
export function scatterAddKernel(out: TypedArray, outShape: readonly number[], axis: number, index: TypedArray, src: TypedArray, indexShape: readonly number[]): void {
  const outStrides = contiguousStrides(outShape);
  const nd = indexShape.length;
  const counter = new Array<number>(nd).fill(0);
  const size = outShape[axis];
  const n = numel(indexShape);
  for (let p = 0; p < n; p++) {
    const idx = index[p];
    if (idx < 0 || idx >= size || !Number.isInteger(idx)) {
      throw new ArgumentError(`scatterAdd: index ${idx} is out of range for dimension ${axis} of size ${size}`);
    }
    let off = 0;
    for (let d = 0; d < nd; d++) off += (d === axis ? idx : counter[d]) * outStrides[d];
    out[off] = out[off] + src[p];
    for (let d = nd - 1; d >= 0; d--) {
      counter[d] = counter[d] + 1;
      if (counter[d] < indexShape[d]) break;
      counter[d] = 0;
    }
  }
}

/** Copies row-major inputs (shapes equal except on `axis`) into `out` along `axis`. */
export function concatKernel(inputs: readonly TypedArray[], shapes: readonly (readonly number[])[], axis: number, out: TypedArray): void {
  const first = shapes[0];
  const outer = numel(first.slice(0, axis));
  const inner = numel(first.slice(axis + 1));
  const total = shapes.reduce((s, sh) => s + sh[axis], 0);
  let pos = 0;
  inputs.forEach((data, i) => {
    const len = (shapes[i][axis]) * inner;
    for (let o = 0; o < outer; o++) out.set(data.subarray(o * len, (o + 1) * len), o * total * inner + pos);
    pos += len;
  });
}
