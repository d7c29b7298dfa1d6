// The OPS table: every differentiable op with how to draw valid inputs for
// it, so that one gradcheck sweep covers them all (and docs can list them).
// Entries hold the op functions themselves: nothing is looked up by string.
import { type Tensor, broadcastShapes, numel, tensor } from "@bitnet-quantize/tensor";
import { type Draw, drawBroadcastPair, drawPermutation, drawShape, drawTensor } from "./draw.js";
import { absOp, abs } from "./ops/abs.js";
import { addOp, add } from "./ops/add.js";
import { castOp, cast } from "./ops/cast.js";
import { clampOp, clamp } from "./ops/clamp.js";
import { concatOp, concat } from "./ops/concat.js";
import { cosOp, cos } from "./ops/cos.js";
import { divOp, div } from "./ops/div.js";
import { erfOp, erf } from "./ops/erf.js";
import { expOp, exp } from "./ops/exp.js";
import { expandOp, expand } from "./ops/expand.js";
import { flattenOp, flatten } from "./ops/flatten.js";
import { gatherOp, gather } from "./ops/gather.js";
import { indexSelectOp, indexSelect } from "./ops/index-select.js";
import { linearOp, linear } from "./ops/linear.js";
import { logOp, log } from "./ops/log.js";
import { logSoftmaxOp, logSoftmax } from "./ops/log-softmax.js";
import { matmulOp, matmul } from "./ops/matmul.js";
import { maxOp, max } from "./ops/max.js";
import { maximumOp, maximum } from "./ops/maximum.js";
import { meanOp, mean } from "./ops/mean.js";
import { minOp, min } from "./ops/min.js";
import { minimumOp, minimum } from "./ops/minimum.js";
import { mulOp, mul } from "./ops/mul.js";
import { narrowOp, narrow } from "./ops/narrow.js";
import { negOp, neg } from "./ops/neg.js";
import { permuteOp, permute } from "./ops/permute.js";
import { powOp, pow } from "./ops/pow.js";
import { reluOp, relu } from "./ops/relu.js";
import { reshapeOp, reshape } from "./ops/reshape.js";
import { rsqrtOp, rsqrt } from "./ops/rsqrt.js";
import { sigmoidOp, sigmoid } from "./ops/sigmoid.js";
import { sinOp, sin } from "./ops/sin.js";
import { sliceOp, slice } from "./ops/slice.js";
import { softmaxOp, softmax } from "./ops/softmax.js";
import { chunk, split } from "./ops/split.js";
import { sqrtOp, sqrt } from "./ops/sqrt.js";
import { squeezeOp, squeeze } from "./ops/squeeze.js";
import { stackOp, stack } from "./ops/stack.js";
import { subOp, sub } from "./ops/sub.js";
import { sumOp, sum } from "./ops/sum.js";
import { tanhOp, tanh } from "./ops/tanh.js";
import { transposeOp, transpose } from "./ops/transpose.js";
import { unsqueezeOp, unsqueeze } from "./ops/unsqueeze.js";
import { varianceOp, variance } from "./ops/variance.js";
import { whereOp, where } from "./ops/where.js";
import type { Var } from "./var.js";

/** One drawn test case: float64 inputs and the function of them to check. */
export interface OpCase {
  /** The differentiable inputs (float64). */
  readonly inputs: readonly Tensor[];
  /** The computation, given the inputs as `Var`s; may return several outputs. */
  readonly fn: (...xs: Var[]) => Var | readonly Var[];
}

/** An op as the table refers to it (any `Op` from `defineOp`). */
export interface CoveredOp {
  readonly name: string;
  readonly definition: object;
}

/** An entry of {@link OPS}. */
export interface OpTableEntry {
  /** A short name for test titles and docs. */
  readonly name: string;
  /** The op definitions this entry exercises (a test checks that every exported op is covered). */
  readonly covers: readonly CoveredOp[];
  /** Where the op has kinks and how the sampler keeps away from them. */
  readonly note?: string;
  /** Draws a valid case. */
  sample(d: Draw): OpCase;
}

type Unary = (x: Var) => Var;

function unary(name: string, op: CoveredOp, f: Unary, values: Parameters<typeof drawTensor>[2] = {}, note?: string): OpTableEntry {
  return {
    name,
    covers: [op],
    ...(note === undefined ? {} : { note }),
    sample: (d) => ({ inputs: [drawTensor(d, drawShape(d), values)], fn: (x) => f(x) }),
  };
}

function binary(name: string, op: CoveredOp, f: (a: Var, b: Var) => Var, va: Parameters<typeof drawTensor>[2] = {}, vb = va, note?: string): OpTableEntry {
  return {
    name,
    covers: [op],
    ...(note === undefined ? {} : { note }),
    sample: (d) => {
      const [sa, sb] = drawBroadcastPair(d);
      return { inputs: [drawTensor(d, sa, va), drawTensor(d, sb, vb)], fn: (a, b) => f(a, b) };
    },
  };
}

function axesAndKeep(d: Draw, ndim: number): { axes: number | number[] | undefined; keepDims: boolean } {
  const mode = d.integer(0, 2);
  const keepDims = d.integer(0, 1) === 1;
  if (mode === 0 || ndim === 0) return { axes: undefined, keepDims };
  if (mode === 1) return { axes: d.integer(-ndim, ndim - 1), keepDims };
  const axes = Array.from({ length: ndim }, (_, i) => i).filter(() => d.integer(0, 1) === 1);
  return { axes, keepDims };
}

function indexTensor(d: Draw, shape: readonly number[], size: number): Tensor {
  const values = Int32Array.from({ length: numel(shape) }, () => d.integer(0, size - 1));
  return tensor(values, shape, "int32");
}

/**
 * Every differentiable op, each with a sampler of valid inputs (shapes,
 * broadcast pairs, values away from kinks). The property test runs gradcheck
 * on every entry; a coverage test checks that no exported op is missing.
 *
 * @example
 * ```ts
 * const d = generatorDraw(new Generator(1));
 * OPS.every((entry) => { const { fn, inputs } = entry.sample(d); return gradcheck(fn, inputs).ok; }); // true
 * OPS.map((e) => e.name); // ["neg", "abs", "exp", ...]
 * ```
 */
export const OPS: readonly OpTableEntry[] = [
  unary("neg", negOp, neg),
  unary("abs", absOp, abs, { avoid: [0] }, "kink at 0 (gradient 0 there, as PyTorch)"),
  unary("exp", expOp, exp),
  unary("log", logOp, log, { min: 0.3, max: 3 }, "defined for x > 0"),
  unary("sqrt", sqrtOp, sqrt, { min: 0.3, max: 3 }, "defined for x > 0"),
  unary("rsqrt", rsqrtOp, rsqrt, { min: 0.3, max: 3 }, "defined for x > 0"),
  unary("sin", sinOp, sin),
  unary("cos", cosOp, cos),
  unary("tanh", tanhOp, tanh),
  unary("sigmoid", sigmoidOp, sigmoid),
  unary("relu", reluOp, relu, { avoid: [0] }, "kink at 0"),
  unary("erf", erfOp, erf),
  unary("cast", castOp, (x) => cast(x, "float64"), {}, "float64 only: a float32 round trip is too coarse for finite differences"),
  unary("clamp", clampOp, (x) => clamp(x, -0.5, 0.5), { min: -1, max: 1, avoid: [-0.5, 0.5] }, "kinks at the bounds"),
  unary("clamp (min only)", clampOp, (x) => clamp(x, 0.25), { min: -1, max: 1, avoid: [0.25] }, "kink at the bound"),
  binary("add", addOp, add),
  binary("sub", subOp, sub),
  binary("mul", mulOp, mul),
  binary("div", divOp, div, {}, { min: 0.5, max: 2, randomSign: true }, "divisor kept away from 0"),
  binary("pow", powOp, pow, { min: 0.5, max: 2 }, { min: -2, max: 2 }, "positive base (the exponent's gradient needs ln a)"),
  binary("maximum", maximumOp, maximum, { latticeOffset: 0.25 }, { latticeOffset: 0.75 }, "operands kept 0.3 apart (ties split the gradient)"),
  binary("minimum", minimumOp, minimum, { latticeOffset: 0.25 }, { latticeOffset: 0.75 }, "operands kept 0.3 apart"),
  {
    name: "scalar operands",
    covers: [addOp, subOp, mulOp, divOp, powOp, maximumOp, minimumOp],
    sample: (d) => ({
      inputs: [drawTensor(d, drawShape(d), { min: 0.5, max: 2 })],
      fn: (x) => {
        const v = x;
        return [add(v, 1.5), sub(2, v), mul(v, -3), div(1, v), div(v, 4), pow(v, 3), pow(v, 0.5), pow(2, v), maximum(v, 1.05), minimum(0.95, v)];
      },
    }),
  },
  {
    name: "where",
    covers: [whereOp],
    sample: (d) => {
      const [sa, sb] = drawBroadcastPair(d);
      const full = broadcastShapes(sa, sb, "where");
      const condShape = full.map((s) => (d.integer(0, 2) === 0 ? 1 : s));
      const cond = tensor(Uint8Array.from({ length: numel(condShape) }, () => d.integer(0, 1)), condShape, "uint8");
      return { inputs: [drawTensor(d, sa), drawTensor(d, sb)], fn: (a, b) => where(cond, a, b) };
    },
  },
  ...(
    [
      ["sum", sumOp, sum, false],
      ["mean", meanOp, mean, false],
      ["max", maxOp, max, true],
      ["min", minOp, min, true],
    ] as const
  ).map(
    ([name, op, f, distinct]): OpTableEntry => ({
      name,
      covers: [op],
      ...(distinct ? { note: "distinct values (ties split the gradient evenly)" } : {}),
      sample: (d) => {
        const shape = drawShape(d, { minDims: 1 });
        const { axes, keepDims } = axesAndKeep(d, shape.length);
        return { inputs: [drawTensor(d, shape, { distinct })], fn: (x) => f(x, axes, { keepDims }) };
      },
    }),
  ),
  {
    name: "variance",
    covers: [varianceOp],
    sample: (d) => {
      const shape = drawShape(d, { minDims: 1, minSize: 2 });
      const { axes, keepDims } = axesAndKeep(d, shape.length);
      const ax = axes === undefined ? shape.map((_, i) => i) : typeof axes === "number" ? [axes] : axes;
      const count = ax.reduce((n, a) => n * (shape.at(a) as number), 1);
      const correction = count > 1 ? d.integer(0, 1) : 0; // n - correction must stay positive
      return { inputs: [drawTensor(d, shape)], fn: (x) => variance(x, axes, { keepDims, correction }) };
    },
  },
  {
    name: "matmul",
    covers: [matmulOp],
    note: "2-D, batched with broadcast batch dimensions, and 1-D on either side",
    sample: (d) => {
      const [M, K, N] = [d.integer(1, 3), d.integer(1, 3), d.integer(1, 3)];
      const mode = d.integer(0, 4);
      let sa: number[];
      let sb: number[];
      if (mode === 0) [sa, sb] = [[M, K], [K, N]];
      else if (mode === 1) [sa, sb] = [[K], [K, N]];
      else if (mode === 2) [sa, sb] = [[M, K], [K]];
      else if (mode === 3) [sa, sb] = [[K], [d.integer(1, 2), K, N]];
      else {
        const [ba, bb] = drawBroadcastPair(d, { maxDims: 2, maxSize: 2 });
        [sa, sb] = [[...ba, M, K], [...bb, K, N]];
      }
      return { inputs: [drawTensor(d, sa), drawTensor(d, sb)], fn: (a, b) => matmul(a, b) };
    },
  },
  {
    name: "linear",
    covers: [linearOp],
    sample: (d) => {
      const [inF, outF] = [d.integer(1, 3), d.integer(1, 3)];
      const lead = drawShape(d, { maxDims: 2 });
      const withBias = d.integer(0, 1) === 1;
      const inputs = [drawTensor(d, [...lead, inF]), drawTensor(d, [outF, inF])];
      if (withBias) inputs.push(drawTensor(d, [outF]));
      return { inputs, fn: (x, w, b) => linear(x, w, b) };
    },
  },
  {
    name: "reshape",
    covers: [reshapeOp],
    sample: (d) => {
      const shape = drawShape(d);
      const target = drawPermutation(d, shape.length).map((i) => shape[i]);
      if (target.length > 0 && d.integer(0, 1) === 1) target[d.integer(0, target.length - 1)] = -1;
      return { inputs: [drawTensor(d, shape)], fn: (x) => reshape(x, target) };
    },
  },
  {
    name: "flatten",
    covers: [flattenOp],
    sample: (d) => {
      const shape = drawShape(d, { minDims: 1 });
      const start = d.integer(0, shape.length - 1);
      const end = d.integer(start, shape.length - 1);
      return { inputs: [drawTensor(d, shape)], fn: (x) => flatten(x, start, end) };
    },
  },
  {
    name: "permute",
    covers: [permuteOp],
    sample: (d) => {
      const shape = drawShape(d);
      const dims = drawPermutation(d, shape.length);
      return { inputs: [drawTensor(d, shape)], fn: (x) => permute(x, dims) };
    },
  },
  {
    name: "transpose",
    covers: [transposeOp],
    sample: (d) => {
      const shape = drawShape(d, { minDims: 2 });
      const [a, b] = [d.integer(0, shape.length - 1), d.integer(-shape.length, -1)];
      return { inputs: [drawTensor(d, shape)], fn: (x) => transpose(x, a, b) };
    },
  },
  {
    name: "expand",
    covers: [expandOp],
    sample: (d) => {
      const target = drawShape(d, { minDims: 1 });
      const shape = target.map((s) => (d.integer(0, 1) === 1 ? 1 : s)).slice(d.integer(0, target.length));
      return { inputs: [drawTensor(d, shape)], fn: (x) => expand(x, target) };
    },
  },
  {
    name: "narrow",
    covers: [narrowOp],
    sample: (d) => {
      const shape = drawShape(d, { minDims: 1, maxSize: 4 });
      const axis = d.integer(0, shape.length - 1);
      const size = shape[axis];
      const start = d.integer(0, size - 1);
      const length = d.integer(0, size - start);
      return { inputs: [drawTensor(d, shape)], fn: (x) => narrow(x, axis, start, length) };
    },
  },
  {
    name: "slice",
    covers: [sliceOp],
    sample: (d) => {
      const shape = drawShape(d, { minDims: 1, maxSize: 5 });
      const axis = d.integer(0, shape.length - 1);
      const size = shape[axis];
      const [start, end, step] = [d.integer(-size, size), d.integer(-size, size + 1), d.integer(1, 3)];
      return { inputs: [drawTensor(d, shape)], fn: (x) => slice(x, axis, start, end, step) };
    },
  },
  {
    name: "squeeze",
    covers: [squeezeOp],
    sample: (d) => {
      const shape = drawShape(d, { minSize: 1, maxSize: 2 });
      const axis = shape.length > 0 && d.integer(0, 1) === 1 ? d.integer(0, shape.length - 1) : undefined;
      return { inputs: [drawTensor(d, shape)], fn: (x) => squeeze(x, axis) };
    },
  },
  {
    name: "unsqueeze",
    covers: [unsqueezeOp],
    sample: (d) => {
      const shape = drawShape(d);
      const axis = d.integer(-shape.length - 1, shape.length);
      return { inputs: [drawTensor(d, shape)], fn: (x) => unsqueeze(x, axis) };
    },
  },
  {
    name: "concat",
    covers: [concatOp],
    sample: (d) => {
      const shape = drawShape(d, { minDims: 1 });
      const axis = d.integer(0, shape.length - 1);
      const count = d.integer(1, 3);
      const inputs = Array.from({ length: count }, () => drawTensor(d, shape.map((s, i) => (i === axis ? d.integer(1, 3) : s))));
      return { inputs, fn: (...xs) => concat(xs, axis - shape.length) };
    },
  },
  {
    name: "stack",
    covers: [stackOp],
    sample: (d) => {
      const shape = drawShape(d);
      const axis = d.integer(0, shape.length);
      const count = d.integer(1, 3);
      return { inputs: Array.from({ length: count }, () => drawTensor(d, shape)), fn: (...xs) => stack(xs, axis) };
    },
  },
  {
    name: "split and chunk",
    covers: [narrowOp],
    note: "composites of narrow; every piece is an output",
    sample: (d) => {
      const shape = drawShape(d, { minDims: 1, maxSize: 5 });
      const axis = d.integer(0, shape.length - 1);
      const size = d.integer(1, shape[axis]);
      const chunks = d.integer(1, 3);
      return { inputs: [drawTensor(d, shape)], fn: (x) => [...split(x, size, axis), ...chunk(x, chunks, axis)] };
    },
  },
  {
    name: "gather",
    covers: [gatherOp],
    sample: (d) => {
      const shape = drawShape(d, { minDims: 1 });
      const axis = d.integer(0, shape.length - 1);
      const indexShape = shape.map((s, i) => (i === axis ? d.integer(1, 4) : d.integer(1, s)));
      const index = indexTensor(d, indexShape, shape[axis]);
      return { inputs: [drawTensor(d, shape)], fn: (x) => gather(x, axis, index) };
    },
  },
  {
    name: "indexSelect",
    covers: [indexSelectOp],
    note: "repeated indices accumulate",
    sample: (d) => {
      const shape = drawShape(d, { minDims: 1 });
      const axis = d.integer(0, shape.length - 1);
      const index = indexTensor(d, [d.integer(1, 4)], shape[axis]);
      return { inputs: [drawTensor(d, shape)], fn: (x) => indexSelect(x, axis, index) };
    },
  },
  {
    name: "softmax",
    covers: [softmaxOp],
    sample: (d) => {
      const shape = drawShape(d, { minDims: 1 });
      const axis = d.integer(-shape.length, shape.length - 1);
      return { inputs: [drawTensor(d, shape)], fn: (x) => softmax(x, axis) };
    },
  },
  {
    name: "logSoftmax",
    covers: [logSoftmaxOp],
    sample: (d) => {
      const shape = drawShape(d, { minDims: 1 });
      const axis = d.integer(-shape.length, shape.length - 1);
      return { inputs: [drawTensor(d, shape)], fn: (x) => logSoftmax(x, axis) };
    },
  },
];
