// The double-precision fused multiply-add, `fma(a, b, c)` = a·b + c rounded
// once, which JavaScript lacks: a fast version from exact products and sums
// in doubles, and a BigInt reference twin. What bitnet's glibc-sincosf.ts needs to
// follow code that a C compiler contracted into FMA instructions. Not the
// float32 fmaf (fma-f32.ts).
//
// Shapes: scalars (doubles).

/** 2^27 + 1: Veltkamp's splitter, cutting a double into two 26-bit halves. */
const SPLITTER = 134217729;
/** Bounds inside which the fast path's exact product and sums cannot overflow or lose bits to underflow. */
const BIG = 2 ** 995;
const TINY_PRODUCT = 2 ** -960;

const scratch = new DataView(new ArrayBuffer(8));

/**
 * `x + err` (err the exact rest of a sum, |err| ≤ ½ulp(x)) rounded to odd:
 * x when exact or odd, else the odd neighbour of x on err's side.
 */
function roundToOdd(x: number, err: number): number {
  if (err === 0) return x;
  scratch.setFloat64(0, x, true);
  const lo = scratch.getUint32(0, true);
  if ((lo & 1) === 1) return x;
  // x is even and nonzero (a sum that rounds to 0 is exact): step its bit pattern one unit away from or toward zero
  if (err > 0 === x > 0) {
    scratch.setUint32(0, lo + 1, true); // lo is even: no carry
  } else if (lo === 0) {
    scratch.setUint32(0, 0xffffffff, true);
    scratch.setUint32(4, scratch.getUint32(4, true) - 1, true);
  } else {
    scratch.setUint32(0, lo - 1, true);
  }
  return scratch.getFloat64(0, true);
}

/**
 * `a·b + c` with a single rounding to the nearest double (ties to even), as
 * C's `fma` and x86's `vfmadd…sd`. The product is made exact as uh + ul
 * (Veltkamp splitting, Dekker's product), `c + uh` exact as th + tl (TwoSum);
 * then `th + RO(tl + ul)` rounds once correctly, RO being rounding to odd
 * (Boldo & Melquiond, "Emulation of FMA and correctly rounded sums: proved
 * algorithms using rounding to odd", IEEE TC 2008, algorithm 5.4). Arguments
 * so large or products so small that those steps could overflow or underflow,
 * and infinities, go to {@link fmaF64Reference}.
 *
 * @example
 * ```ts
 * fmaF64(1 + 2 ** -30, 1 - 2 ** -30, -1); // -8.673617379884035e-19 (−2^-60: a·b − 1 rounded once; a * b - 1 gives 0)
 * ```
 */
export function fmaF64(a: number, b: number, c: number): number {
  const uh = a * b;
  if (a === 0 || b === 0) return uh + c; // exact product: a zero (or NaN for 0·∞), signed as IEEE says
  const au = Math.abs(a);
  const bu = Math.abs(b);
  const pu = Math.abs(uh);
  if (!(au < BIG && bu < BIG && pu < BIG && pu > TINY_PRODUCT && Math.abs(c) < BIG)) return fmaF64Reference(a, b, c);
  // Dekker: a·b = uh + ul exactly
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const ul = ah * bh - uh + ah * bl + al * bh + al * bl;
  // TwoSum: c + uh = th + tl exactly
  const th = c + uh;
  let z = th - c;
  const tl = c - (th - z) + (uh - z);
  // v = RO(tl + ul): TwoSum again, then the odd neighbour if inexact
  const s = tl + ul;
  z = s - tl;
  const v = roundToOdd(s, tl - (s - z) + (ul - z));
  return th + v;
}

/** A finite double as sign·m·2^e with an integer m (exact). */
function decompose(x: number): { m: bigint; e: number } {
  scratch.setFloat64(0, x, true);
  const bits = scratch.getBigUint64(0, true);
  const field = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  const m = field === 0 ? frac : frac | (1n << 52n);
  return { m: bits >> 63n === 1n ? -m : m, e: (field === 0 ? 1 : field) - 1075 };
}

/** m·2^e for a double m and any integer e ≥ −1074 where the result is a double (or overflows), exactly. */
function scaleByPowerOfTwo(m: number, e: number): number {
  let v = m;
  let k = e;
  while (k > 1000) {
    v *= 2 ** 1000;
    k -= 1000;
  }
  if (k < -1000) {
    v *= 2 ** -1000; // |m| ≥ 1 here, so this stays normal and exact
    k += 1000;
  }
  return v * 2 ** k;
}

/**
 * The reference twin of {@link fmaF64}: a·b + c exact in BigInt (each double
 * as an integer times a power of two), rounded to the nearest double, ties
 * to even, with subnormals and overflow as IEEE 754 has them. Slow.
 *
 * @example
 * ```ts
 * fmaF64Reference(1 + 2 ** -30, 1 - 2 ** -30, -1); // -8.673617379884035e-19 (−2^-60)
 * ```
 */
export function fmaF64Reference(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a * b + c; // ∞ or NaN products are exact
  if (!Number.isFinite(c)) return c; // a finite product, even one that overflows, leaves ±∞ or NaN
  const da = decompose(a);
  const db = decompose(b);
  const dc = decompose(c);
  const ep = da.e + db.e;
  const e0 = Math.min(ep, dc.e);
  const exact = ((da.m * db.m) << BigInt(ep - e0)) + (dc.m << BigInt(dc.e - e0)); // a·b + c = exact·2^e0
  if (exact === 0n) return a === 0 || b === 0 ? a * b + c : 0; // −0 only for (−0) + (−0); a cancelling sum is +0
  const neg = exact < 0n;
  const mag = neg ? -exact : exact;
  const bits = mag.toString(2).length;
  const shift = Math.max(bits - 53, -1074 - e0); // keep 53 bits, or fewer where the step is 2^-1074 (subnormals)
  let q = mag;
  if (shift > 0) {
    const s = BigInt(shift);
    q = mag >> s;
    const rest = mag - (q << s);
    const half = 1n << (s - 1n);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  }
  const r = scaleByPowerOfTwo(Number(q), e0 + Math.max(shift, 0));
  return neg ? -r : r;
}
