// fast-check arbitraries for tensor tests: shapes, broadcastable shape pairs,
// float data, and tensors (contiguous or as strided views).
import fc from "fast-check";
import { tensor } from "../creation.js";
import type { DType } from "../dtype.js";
import { numel } from "../shape.js";
import type { Tensor } from "../tensor.js";

/** Limits for the generated shapes. */
export interface ShapeOptions {
  readonly minDims?: number;
  readonly maxDims?: number;
  readonly minSize?: number;
  readonly maxSize?: number;
}

/**
 * Shapes with `minDims..maxDims` dimensions of `minSize..maxSize` each
 * (defaults 0..4 and 1..5).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(shapeArb({ maxDims: 3 }), (s) => s.length <= 3));
 * ```
 */
export function shapeArb(opts: ShapeOptions = {}): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: opts.minSize ?? 1, max: opts.maxSize ?? 5 }), {
    minLength: opts.minDims ?? 0,
    maxLength: opts.maxDims ?? 4,
  });
}

/**
 * Pairs of shapes that broadcast together: a common shape with some
 * dimensions set to 1 in either operand and leading dimensions dropped.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(broadcastPairArb(), ([a, b]) => broadcastShapes(a, b, "t").length >= a.length));
 * ```
 */
export function broadcastPairArb(opts: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> {
  return shapeArb(opts).chain((full) =>
    fc
      .tuple(
        fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
        fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
        fc.nat({ max: full.length }),
        fc.nat({ max: full.length }),
      )
      .map(([ones1, ones2, drop1, drop2]): [number[], number[]] => [
        full.map((d, i) => (ones1[i] === true ? 1 : d)).slice(drop1),
        full.map((d, i) => (ones2[i] === true ? 1 : d)).slice(drop2),
      ]),
  );
}

/**
 * Finite float data of a given length in `[-range, range]` (default 10),
 * as a Float64Array (exact in float32 after rounding).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(floatDataArb(4), (d) => d.length === 4));
 * ```
 */
export function floatDataArb(length: number, range = 10): fc.Arbitrary<Float64Array> {
  return fc
    .array(fc.double({ min: -range, max: range, noNaN: true, noDefaultInfinity: true }), { minLength: length, maxLength: length })
    .map((a) => Float64Array.from(a, (v) => Math.fround(v)));
}

/** Options of {@link tensorArb}. */
export interface TensorArbOptions extends ShapeOptions {
  readonly dtype?: "float32" | "float64";
  readonly range?: number;
  /** Also produce non-contiguous views (a transpose of a larger tensor, or a strided slice). Default true. */
  readonly views?: boolean;
}

/**
 * Float tensors of random shape and data; with `views` (default), also
 * non-contiguous views with the same logical shape.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(tensorArb({ maxDims: 2 }), (t) => t.dataSync().length === t.size));
 * ```
 */
export function tensorArb(opts: TensorArbOptions = {}): fc.Arbitrary<Tensor> {
  return shapeArb(opts).chain((shape) => tensorOfShapeArb(shape, opts));
}

/**
 * Float tensors of a fixed shape, contiguous or (with `views`) as a
 * transposed copy viewed back, or a slice of a tensor twice as large.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(tensorOfShapeArb([2, 3]), (t) => t.shape[1] === 3));
 * ```
 */
export function tensorOfShapeArb(shape: readonly number[], opts: TensorArbOptions = {}): fc.Arbitrary<Tensor> {
  const dtype: DType = opts.dtype ?? "float32";
  const n = numel(shape);
  const kinds = opts.views === false ? fc.constant(0) : fc.integer({ min: 0, max: 2 });
  return fc.tuple(floatDataArb(n, opts.range), kinds).map(([data, kind]) => {
    const base = tensor(data, shape, dtype);
    if (kind === 1 && shape.length >= 2) {
      // materialise the transpose, then view it transposed back: same values, non-contiguous strides
      return base.transpose(0, shape.length - 1).contiguous().transpose(0, shape.length - 1);
    }
    if (kind === 2 && shape.length >= 1) {
      // interleave with junk and take every second element of the last axis
      const last = shape.length - 1;
      const wide = [...shape];
      wide[last] = shape[last] * 2;
      const junk = new Float64Array(numel(wide)).fill(12345);
      const w = tensor(junk, wide, dtype).dataSync();
      const src = base.dataSync();
      for (let i = 0; i < n; i++) w[2 * i] = src[i];
      return tensor(w, wide, dtype).slice(last, 0, undefined, 2);
    }
    return base;
  });
}
