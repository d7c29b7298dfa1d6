// AbsMean ternary weight quantization (BitNet b1.58, paper eq. 1-3):
// t = clamp(round(w / max(s, eps)), -1, 1), s = mean(|w|) over a scale group,
// and its inverse w ≈ t · max(s, eps). A pure function of tensors.
import { type Tensor, abs, clamp, concat, div, maximum, numel, sum, tensor, zeros } from "@bitnet-quantize/tensor";
import { QuantizationError } from "./errors.js";
import { type RoundingMode, roundTensor, roundingFunction } from "./rounding.js";
import { checkEps, checkFinite, checkFloat, checkRounding, deferFiniteCheck } from "./validate.js";

/**
 * Which weights share one scale: the whole tensor (default, as the paper and
 * llama.cpp), each row, or each run of N consecutive columns of a row (the
 * Rust crate's `group_size`; a shorter last group uses its own length).
 *
 * @example
 * ```ts
 * const g: GroupSize = 128;
 * ```
 */
export type GroupSize = "tensor" | "row" | number;

/** Options of {@link absMeanTernary}. */
export interface TernaryOptions {
  /** Scale granularity (default `"tensor"`). */
  readonly groupSize?: GroupSize;
  /** Floor on the scale (default 1e-5). */
  readonly eps?: number;
  /** Tie rule (default `"half-even"`). */
  readonly rounding?: RoundingMode;
  /** Name used in error messages (default `"weight"`). */
  readonly name?: string;
}

/**
 * Ternary weights: `codes` (int8 in {-1, 0, 1}, the weight's shape) and
 * `scales` `[rows, G]` in the weight's dtype (rows = all but the last
 * dimension, G = groups per row; `[1, 1]` for a per-tensor scale), so that
 * `w ≈ codes · scales[row, column / groupColumns]`.
 *
 * @example
 * ```ts
 * const q: TernaryWeights = absMeanTernary(randn([4, 8]));
 * q.scales.shape; // [1, 1]
 * ```
 */
export interface TernaryWeights {
  readonly codes: Tensor<"int8">;
  readonly scales: Tensor;
  /** Columns per scale group (the row length for "tensor" and "row"). */
  readonly groupColumns: number;
  /** The granularity asked for. */
  readonly groupSize: GroupSize;
}

/** Rows, columns, columns per group and groups per row for a weight shape and group size. */
export function groupLayout(shape: readonly number[], groupSize: GroupSize, op: string): { rows: number; cols: number; groupColumns: number; groups: number } {
  if (shape.length === 0) throw new QuantizationError(`${op}: weight must have at least one dimension`);
  const cols = shape[shape.length - 1];
  const rows = cols === 0 ? 0 : numel(shape) / cols;
  if (groupSize === "tensor" || groupSize === "row") return { rows, cols, groupColumns: Math.max(cols, 1), groups: 1 };
  if (!Number.isInteger(groupSize) || groupSize <= 0) {
    throw new QuantizationError(`${op}: groupSize must be "tensor", "row" or a positive integer, got ${String(groupSize)}`);
  }
  return { rows, cols, groupColumns: groupSize, groups: Math.max(1, Math.ceil(cols / groupSize)) };
}

/**
 * AbsMean ternary quantization: for each scale group, `s = mean(|w|)`, then
 * `t = clamp(round(w / max(s, eps)), -1, 1)`; the stored scale is `max(s, eps)`.
 * An all-zero group gives codes 0. NaN or ±Infinity throws a
 * `QuantizationError`: at the call, naming the first bad index, on backends
 * that read synchronously (CPU); at the next read of a tensor on the backend
 * on the others (WebGPU, where the check runs on the device).
 *
 * @example
 * ```ts
 * const q = absMeanTernary(tensor([[1, -1, 0.5, -0.5], [2, -2, 0.1, -0.1]]), { groupSize: "row" });
 * q.codes.toArray(); // [[1, -1, 1, -1], [1, -1, 0, 0]]
 * q.scales.toArray(); // [[0.75], [1.05]]
 * ```
 */
export function absMeanTernary(w: Tensor, opts: TernaryOptions = {}): TernaryWeights {
  const op = "absMeanTernary";
  const name = opts.name ?? "weight";
  checkFloat(op, name, w);
  const eps = checkEps(op, opts.eps ?? 1e-5);
  const rounding = checkRounding(op, opts.rounding ?? "half-even");
  const groupSize = opts.groupSize ?? "tensor";
  const { rows, cols, groupColumns, groups } = groupLayout(w.shape, groupSize, op);
  if (w.backend.readSync === undefined) {
    deferFiniteCheck(op, name, w);
    return absMeanTernaryTensor(w, groupSize, eps, rounding);
  }
  const data = w.dataSync();
  checkFinite(op, name, data);
  const rnd = roundingFunction(rounding);
  const codes = new Int8Array(data.length);
  const scaleRows = groupSize === "tensor" ? 1 : rows;
  const scales = new Float64Array(scaleRows * groups);

  const quantizeRange = (start: number, end: number, scale: number): void => {
    for (let i = start; i < end; i++) {
      const t = rnd(data[i] / scale);
      codes[i] = t > 1 ? 1 : t < -1 ? -1 : t;
    }
  };

  if (groupSize === "tensor") {
    let s = 0;
    for (let i = 0; i < data.length; i++) s += Math.abs(data[i]);
    const scale = Math.max(data.length > 0 ? s / data.length : 0, eps);
    scales[0] = scale;
    quantizeRange(0, data.length, scale);
  } else {
    for (let r = 0; r < rows; r++) {
      for (let g = 0; g < groups; g++) {
        const start = r * cols + g * groupColumns;
        const end = r * cols + Math.min(cols, (g + 1) * groupColumns);
        let s = 0;
        for (let i = start; i < end; i++) s += Math.abs(data[i]);
        const scale = Math.max(end > start ? s / (end - start) : 0, eps);
        scales[r * groups + g] = scale;
        quantizeRange(start, end, scale);
      }
    }
  }
  return {
    codes: tensor(codes, w.shape, "int8", w.backend),
    scales: tensor(scales, [scaleRows, groups], w.dtype, w.backend),
    groupColumns,
    groupSize,
  };
}

/**
 * The same quantization written in tensor ops, for backends without
 * synchronous reads (WebGPU); exposed for the equivalence test.
 *
 * @example
 * ```ts
 * absMeanTernaryTensor(w, "row", 1e-5, "half-even").scales.shape; // [rows, 1]
 * ```
 */
export function absMeanTernaryTensor(w: Tensor, groupSize: GroupSize, eps: number, rounding: RoundingMode): TernaryWeights {
  const { rows, cols, groupColumns, groups } = groupLayout(w.shape, groupSize, "absMeanTernary");
  const w2 = w.reshape([rows, cols]);
  let scales: Tensor; // [rows | 1, G]
  let perColumn: Tensor; // broadcastable to [rows, cols]
  if (groupSize === "tensor") {
    scales = maximum(div(sum(abs(w2)), Math.max(rows * cols, 1)), eps).reshape([1, 1]);
    perColumn = scales;
  } else if (groupSize === "row") {
    scales = maximum(div(sum(abs(w2), 1, { keepDims: true }), Math.max(cols, 1)), eps);
    perColumn = scales;
  } else {
    // pad columns to whole groups with zeros, sum |w| per group, divide by each group's true length
    const pad = groups * groupColumns - cols;
    const padded = pad === 0 ? w2 : concat([w2, zeros([rows, pad], w.dtype, w.backend)], 1);
    const sums = sum(abs(padded.reshape([rows, groups, groupColumns])), 2); // [rows, G]
    const lengths = new Float64Array(groups).fill(groupColumns);
    lengths[groups - 1] = cols - (groups - 1) * groupColumns;
    scales = maximum(div(sums, tensor(lengths, [groups], w.dtype, w.backend)), eps);
    perColumn = scales.unsqueeze(2).expand([rows, groups, groupColumns]).reshape([rows, groups * groupColumns]).narrow(1, 0, cols);
  }
  const codes = clamp(roundTensor(div(w2, perColumn), rounding), -1, 1).cast("int8").reshape(w.shape);
  return { codes, scales: scales.cast(w.dtype), groupColumns, groupSize };
}

/**
 * Scales per (row, column) of the weight: `scales` `[rows | 1, G]` expanded to
 * the weight's shape, as a float tensor.
 *
 * @example
 * ```ts
 * expandScales(q).shape; // the weight's shape
 * ```
 */
export function expandScales(q: TernaryWeights): Tensor {
  const shape = q.codes.shape;
  const { rows, cols, groupColumns, groups } = groupLayout(shape, q.groupSize, "dequantizeTernary");
  // tensor ops only, so this works on every backend
  const scaleRows = q.scales.shape[0];
  const perRow = q.scales.unsqueeze(2).expand([scaleRows, groups, groupColumns]).reshape([scaleRows, groups * groupColumns]).narrow(1, 0, cols);
  return perRow.expand([rows, cols]).reshape(shape);
}

/**
 * The float weights ternary codes stand for: `codes · scale` per group.
 *
 * @example
 * ```ts
 * dequantizeTernary(absMeanTernary(tensor([[2, -2, 0.1, -0.1]]))).toArray(); // [[1.05, -1.05, 0, -0]]
 * ```
 */
export function dequantizeTernary(q: TernaryWeights): Tensor {
  return expandScales(q).mul(q.codes);
}
