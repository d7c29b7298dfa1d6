// gradcheck: compares the gradients backward computes with central finite
// differences, in float64, over the whole Jacobian (PyTorch's defaults:
// eps 1e-6, atol 1e-5, rtol 1e-3). Not here: random inputs (see the OPS table).
import { type Tensor, isFloat, tensor } from "@bitnet-quantize/tensor";
import { AutogradError, fmtShape } from "../errors.js";
import { noGrad } from "../grad-mode.js";
import { Var, param } from "../var.js";

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  readonly eps?: number;
  /** Absolute tolerance (default 1e-5). */
  readonly atol?: number;
  /** Relative tolerance, times |numeric| (default 1e-3). */
  readonly rtol?: number;
  /** Throw a `GradcheckError` naming the worst entry when some entry fails (default true). */
  readonly raise?: boolean;
}

/** One entry of the Jacobian: d output[outputIndex] / d inputs[input][index]. */
export interface JacobianEntry {
  /** Which input. */
  readonly input: number;
  /** Flat (row-major) element index in that input. */
  readonly index: number;
  /** The same index as coordinates. */
  readonly coords: readonly number[];
  /** Flat index over all outputs (concatenated when fn returns several). */
  readonly outputIndex: number;
  /** What backward computed. */
  readonly analytic: number;
  /** The central difference. */
  readonly numeric: number;
  /** `|analytic - numeric|`. */
  readonly absError: number;
  /** `atol + rtol·|numeric|`. */
  readonly tolerance: number;
}

/** What {@link gradcheck} found. */
export interface GradcheckReport {
  /** True when every entry is within tolerance. */
  readonly ok: boolean;
  /** Number of Jacobian entries compared. */
  readonly checked: number;
  /** Number of entries outside tolerance. */
  readonly failures: number;
  /** The largest `|analytic - numeric|`. */
  readonly maxAbsError: number;
  /** The entry with the largest error relative to its tolerance (undefined when nothing was compared). */
  readonly worst: JacobianEntry | undefined;
}

/**
 * Thrown by {@link gradcheck} when gradients and finite differences disagree.
 *
 * @example
 * ```ts
 * const wrongSquare = (x: Var): Var => x.mul(x.detach()).sum(); // its gradient is x, not 2x
 * gradcheck(wrongSquare, [tensor([1, 2], undefined, "float64")]); // throws GradcheckError
 * try { gradcheck(wrongSquare, [tensor([1, 2], undefined, "float64")]); } catch (e) { (e as GradcheckError).report.worst; }
 * ```
 */
export class GradcheckError extends AutogradError {
  /** The full report. */
  readonly report: GradcheckReport;
  constructor(message: string, report: GradcheckReport) {
    super(message);
    this.name = "GradcheckError";
    this.report = report;
  }
}

function coordsOf(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d];
    out[d] = rest % size;
    rest = Math.floor(rest / size);
  }
  return out;
}

function asList(out: Var | readonly Var[]): readonly Var[] {
  return out instanceof Var ? [out] : out;
}

function flatOutputs(outs: readonly Var[]): Float64Array {
  const total = outs.reduce((s, o) => s + o.size, 0);
  const flat = new Float64Array(total);
  let p = 0;
  for (const o of outs) {
    flat.set(o.value.dataSync(), p);
    p += o.size;
  }
  return flat;
}

/**
 * Checks `fn`'s gradients against central differences
 * `(f(x + eps) - f(x - eps)) / 2eps`, entry by entry over the full Jacobian
 * (one backward per output element, two forwards per input element: keep the
 * inputs small). Inputs are cast to float64; `fn` gets them as parameters and
 * may return one `Var` or several (their elements are concatenated). An entry
 * passes when `|analytic - numeric| <= atol + rtol·|numeric|`.
 *
 * @example
 * ```ts
 * gradcheck((x) => x.mul(x).sum(), [tensor([1, 2, 3], undefined, "float64")]).ok; // true
 * const wrongSquare = (x: Var): Var => x.mul(x.detach()).sum(); // its gradient is x, not 2x
 * gradcheck(wrongSquare, [tensor([1, 2], undefined, "float64")]); // throws GradcheckError
 * ```
 */
export function gradcheck(fn: (...inputs: Var[]) => Var | readonly Var[], inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const inputs64 = inputs.map((t, i) => {
    if (!isFloat(t.dtype)) throw new AutogradError(`gradcheck: input ${i} is ${t.dtype}; pass only float inputs (capture index tensors in fn)`);
    return t.dtype === "float64" ? t : t.cast("float64");
  });

  // Analytic Jacobian: one backward per output element, seeded with a one-hot gradient.
  const vars = inputs64.map((t) => param(t));
  const outs = asList(fn(...vars));
  const outSizes = outs.map((o) => o.size);
  const totalOut = outSizes.reduce((s, n) => s + n, 0);
  const analytic = inputs64.map((t) => new Float64Array(totalOut * t.size));
  let row = 0;
  for (const out of outs) {
    for (let k = 0; k < out.size; k++, row++) {
      if (!out.requiresGrad) continue;
      for (const v of vars) v.grad = null;
      const seedData = new Float64Array(out.size);
      seedData[k] = 1;
      out.backward(tensor(seedData, out.shape, "float64").cast(out.dtype), { retainGraph: true });
      vars.forEach((v, i) => {
        if (v.grad === null) return;
        const g = v.grad.cast("float64").dataSync();
        (analytic[i] as Float64Array).set(g, row * g.length);
      });
    }
  }

  // Numeric Jacobian: central differences, one input element at a time, without a graph.
  const evaluate = (replaced: number, data: Float64Array): Float64Array =>
    noGrad(() => {
      const args = vars.map((v, i) => (i === replaced ? param(tensor(data, inputs64[i]?.shape, "float64")) : v));
      return flatOutputs(asList(fn(...args)));
    });
  let worst: JacobianEntry | undefined;
  let worstRatio = -1;
  let failures = 0;
  let checked = 0;
  let maxAbsError = 0;
  inputs64.forEach((t, i) => {
    const data = Float64Array.from(t.dataSync());
    for (let j = 0; j < data.length; j++) {
      const x = data[j];
      data[j] = x + eps;
      const plus = evaluate(i, data);
      data[j] = x - eps;
      const minus = evaluate(i, data);
      data[j] = x;
      for (let k = 0; k < totalOut; k++) {
        const numeric = (plus[k] - minus[k]) / (2 * eps);
        const a = (analytic[i] as Float64Array)[k * data.length + j];
        const absError = Math.abs(a - numeric);
        const tolerance = atol + rtol * Math.abs(numeric);
        checked++;
        const bad = !(absError <= tolerance);
        if (bad) failures++;
        if (absError > maxAbsError || Number.isNaN(absError)) maxAbsError = Number.isNaN(absError) ? NaN : absError;
        const ratio = Number.isNaN(absError) ? Infinity : absError / tolerance;
        if (ratio > worstRatio) {
          worstRatio = ratio;
          worst = { input: i, index: j, coords: coordsOf(j, t.shape), outputIndex: k, analytic: a, numeric, absError, tolerance };
        }
      }
    }
  });
  const report: GradcheckReport = { ok: failures === 0, checked, failures, maxAbsError, worst };
  if (!report.ok && opts.raise !== false && worst !== undefined) {
    const w = worst;
    throw new GradcheckError(
      `gradcheck: ${failures} of ${checked} Jacobian entries differ; worst: d output[${w.outputIndex}] / d input ${w.input} ${fmtShape(inputs64[w.input]?.shape ?? [])} ` +
        `at ${fmtShape(w.coords)}: analytic ${w.analytic}, numeric ${w.numeric} (|diff| ${w.absError.toExponential(3)} > tolerance ${w.tolerance.toExponential(3)})`,
      report,
    );
  }
  return report;
}
