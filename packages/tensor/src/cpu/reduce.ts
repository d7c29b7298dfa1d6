// CPU reductions: the reduced axes are moved last (a permuted view), so each
// output element reduces one contiguous run of `inner` gathered values.
import type { ReduceOp } from "../backend.js";
import type { TypedArray } from "../dtype.js";
import type { Layout } from "../layout.js";
import { numel } from "../shape.js";
import { elementOffsets } from "./strided.js";

/** A faster "sum" over gathered offsets; returns false when it does not apply (then the loop below runs). */
export type SumKernel = (data: TypedArray, offs: Int32Array, out: TypedArray, outer: number, inner: number) => boolean;

/**
 * Reduces `axes` (sorted, unique) of the view `(data, layout)` into `out`,
 * whose length is the product of the kept dimensions. `sum`, when given,
 * takes "sum" (the CPU backend passes the wasm kernel, bit-identical to the loop here).
 */
export function reduceKernel(op: ReduceOp, data: TypedArray, layout: Layout, axes: readonly number[], out: TypedArray, sum?: SumKernel): void {
  const nd = layout.shape.length;
  const kept = [...Array(nd).keys()].filter((d) => !axes.includes(d));
  const order = [...kept, ...axes];
  const permuted: Layout = {
    shape: order.map((d) => layout.shape[d] as number),
    strides: order.map((d) => layout.strides[d] as number),
    offset: layout.offset,
  };
  const inner = numel(axes.map((d) => layout.shape[d] as number));
  const outer = out.length;
  const offs = elementOffsets(permuted);
  if (op === "sum" && sum !== undefined && sum(data, offs, out, outer, inner)) return;
  for (let o = 0; o < outer; o++) {
    const base = o * inner;
    let acc: number;
    switch (op) {
      case "sum":
        acc = 0;
        for (let j = 0; j < inner; j++) acc += data[offs[base + j] as number] as number;
        break;
      case "prod":
        acc = 1;
        for (let j = 0; j < inner; j++) acc *= data[offs[base + j] as number] as number;
        break;
      case "max":
        acc = -Infinity;
        for (let j = 0; j < inner; j++) {
          const v = data[offs[base + j] as number] as number;
          if (v > acc || v !== v) acc = v;
          if (acc !== acc) break;
        }
        break;
      case "min":
        acc = Infinity;
        for (let j = 0; j < inner; j++) {
          const v = data[offs[base + j] as number] as number;
          if (v < acc || v !== v) acc = v;
          if (acc !== acc) break;
        }
        break;
      case "argmax":
      case "argmin": {
        let best = data[offs[base] as number] as number;
        let bi = 0;
        for (let j = 1; j < inner && best === best; j++) {
          const v = data[offs[base + j] as number] as number;
          if (v !== v || (op === "argmax" ? v > best : v < best)) {
            best = v;
            bi = j;
          }
        }
        acc = bi;
        break;
      }
    }
    out[o] = acc;
  }
}
