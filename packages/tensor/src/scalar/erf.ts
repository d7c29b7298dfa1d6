// The error function as scalar code: a float64-accurate evaluation (the
// reference of the `erf` primitive and the CPU kernel for float64 tensors) and
// a fast float32-accurate one (the CPU kernel for float32 tensors, the same
// formula as the WebGPU kernel).

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1/√π
/**
 * Below this |x| the power series is used, above it the continued fraction of
 * erfc (at most ~190 steps at |x| = 1); both stay below 1e-15 relative error
 * against libm's erf over [-6.5, 6.5].
 */
const SERIES_LIMIT = 1;
/** Above this |x|, erfc(|x|) < 2^-60 and erf(x) rounds to ±1 in float64. */
const ONE_LIMIT = 6;

/**
 * e^(-x²) with x² taken exactly (Dekker's two-product: x² = p + err), so that
 * the rounding of x² (relative 2^-53, amplified by x² in the exponent) does not
 * reach the result: e^(-x²) = e^(-p)·e^(-err) ≈ e^(-p)·(1 - err).
 */
function expMinusSquare(x: number): number {
  const p = x * x;
  const c = 134217729 * x; // 2^27 + 1: Veltkamp's split
  const hi = c - (c - x);
  const lo = x - hi;
  const err = hi * hi - p + 2 * hi * lo + lo * lo;
  return Math.exp(-p) * (1 - err);
}

/**
 * erf(x) = 2/√π · e^(-x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): every term is
 * positive, so the sum has no cancellation (relative error a few ulp). x >= 0.
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * expMinusSquare(x) * sum;
}

/**
 * erfc(x) for x > 0 by the continued fraction
 * erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))),
 * evaluated with the modified Lentz method.
 */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return (ONE_OVER_SQRT_PI * expMinusSquare(x)) / f;
}

/**
 * The error function `erf(x) = 2/√π ∫₀ˣ e^(-t²) dt` to float64 precision
 * (relative error below 1e-15): a positive power series for |x| < 1, the
 * continued fraction of erfc above. Odd; erf(±∞) = ±1; NaN stays NaN.
 *
 * @example
 * ```ts
 * erf64(1); // 0.8427007929497149
 * ```
 */
export function erf64(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < SERIES_LIMIT) return x < 0 ? -erfSeries(a) : erfSeries(x);
  if (a >= ONE_LIMIT) return x > 0 ? 1 : -1;
  const r = 1 - erfcFraction(a);
  return x > 0 ? r : -r;
}

// erfc(z) ≈ t·exp(-z² + P(t)) for z >= 0, t = 1/(1 + z/2) (Numerical Recipes'
// erfcc, fractional error below 1.2e-7), scaled so that erfc(0) is exactly 1.
const P0 = -1.26551223;
const P1 = 1.00002368;
const P2 = 0.37409196;
const P3 = 0.09678418;
const P4 = -0.18628806;
const P5 = 0.27886807;
const P6 = -1.13520398;
const P7 = 1.48851587;
const P8 = -0.82215223;
const P9 = 0.17087277;
const LOG_ERFC_AT_0 = P0 + P1 + P2 + P3 + P4 + P5 + P6 + P7 + P8 + P9;

/**
 * The error function to float32 precision (absolute error below 1.2e-7):
 * Numerical Recipes' erfc approximation, one `exp` per call. The CPU kernel of
 * `erf` on float32 tensors; the WebGPU kernel evaluates the same formula.
 *
 * @example
 * ```ts
 * Math.abs(erf32(1) - 0.8427007929497149) < 1.2e-7; // true
 * ```
 */
export function erf32(x: number): number {
  if (x !== x) return x;
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * (P5 + t * (P6 + t * (P7 + t * (P8 + t * P9))))))));
  const erfc = t * Math.exp(poly - z * z + (P0 - LOG_ERFC_AT_0));
  const r = 1 - erfc;
  return x < 0 ? -r : r;
}
