// CPU reductions: the reduced axes are moved last (a permuted view), so each
// output element reduces one contiguous run of `inner` gathered values.
import type { ReduceOp } from "../backend.js";
import type { TypedArray } from "../dtype.js";
import type { Layout } from "../layout.js";
import { numel } from "../shape.js";
import { elementOffsets } from "./strided.js";

/** One reduced run: `inner` values at `data[offs[base + j]]`, j < inner. */
type RunLoop = (data: TypedArray, offs: ArrayLike<number>, base: number, inner: number) => number;

/** The CPU loop of each reduction (REDUCE_OPS holds the meaning; a test holds these to it). */
const REDUCE_LOOPS = {
  sum: (data, offs, base, inner) => {
    let acc = 0;
    for (let j = 0; j < inner; j++) acc += data[offs[base + j]];
    return acc;
  },
  prod: (data, offs, base, inner) => {
    let acc = 1;
    for (let j = 0; j < inner; j++) acc *= data[offs[base + j]];
    return acc;
  },
  max: (data, offs, base, inner) => {
    let acc = -Infinity;
    for (let j = 0; j < inner; j++) {
      const v = data[offs[base + j]];
      if (v > acc || v !== v) acc = v;
      if (acc !== acc) break;
    }
    return acc;
  },
  min: (data, offs, base, inner) => {
    let acc = Infinity;
    for (let j = 0; j < inner; j++) {
      const v = data[offs[base + j]];
      if (v < acc || v !== v) acc = v;
      if (acc !== acc) break;
    }
    return acc;
  },
  argmax: (data, offs, base, inner) => {
    let best = data[offs[base]];
    let bi = 0;
    for (let j = 1; j < inner && best === best; j++) {
      const v = data[offs[base + j]];
      if (v !== v || v > best) {
        best = v;
        bi = j;
      }
    }
    return bi;
  },
  argmin: (data, offs, base, inner) => {
    let best = data[offs[base]];
    let bi = 0;
    for (let j = 1; j < inner && best === best; j++) {
      const v = data[offs[base + j]];
      if (v !== v || v < best) {
        best = v;
        bi = j;
      }
    }
    return bi;
  },
} satisfies Record<ReduceOp, RunLoop>;

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
    shape: order.map((d) => layout.shape[d]),
    strides: order.map((d) => layout.strides[d]),
    offset: layout.offset,
  };
  const inner = numel(axes.map((d) => layout.shape[d]));
  const outer = out.length;
  const offs = elementOffsets(permuted);
  if (op === "sum" && sum !== undefined && sum(data, offs, out, outer, inner)) return;
  const loop: RunLoop = REDUCE_LOOPS[op];
  for (let o = 0; o < outer; o++) out[o] = loop(data, offs, o * inner, inner);
}
