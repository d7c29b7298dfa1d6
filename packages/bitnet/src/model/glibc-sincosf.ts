// glibc 2.36's float sine and cosine, bit for bit as the x86-64 libm runs
// them on a CPU with FMA and AVX2 (the ifunc variants __sinf_fma and
// __cosf_fma), which is what ggml_rope_cache_init's cosf/sinf give llama.cpp
// on such a machine: not always the correctly rounded float32 of sin/cos.
// A port written from glibc's sysdeps/ieee754/flt-32 (s_sinf.c, s_cosf.c,
// s_sincosf.h, sincosf_poly.h, s_sincosf_data.c) and the disassembly of
// Debian 12's libm.so.6 (2.36-9+deb12u14), which shows which products GCC
// fused into FMAs. Not sincosf, not the SSE2 variant, not other libms.
//
// Shapes: scalars; arguments are float32 values, work is in doubles.
import { fmaF64, fmaF64Reference } from "@bitnet-quantize/tensor";

const f32 = Math.fround;

/** sincos_t: quadrant signs, 2/π·2^24 and π/2 for the reduction, cosine c0..c4, sine s1..s3. */
interface SinCosTable {
  readonly sign: readonly [number, number, number, number];
  readonly hpiInv: number;
  readonly hpi: number;
  readonly c0: number;
  readonly c1: number;
  readonly c2: number;
  readonly c3: number;
  readonly c4: number;
  readonly s1: number;
  readonly s2: number;
  readonly s3: number;
}

// __sincosf_table (decimal forms that round-trip to glibc's hex constants)
const SIGN = [1, -1, -1, 1] as const;
const HPI_INV = 10680707.430881744; // 0x1.45F306DC9C883p+23: 2/π prescaled by 2^24 (no TOINT_INTRINSICS on x86-64)
const HPI = 1.5707963267948966; // 0x1.921FB54442D18p0
const C1 = -0.49999999725108224; // -0x1.ffffffd0c621cp-2
const C2 = 0.041666623324344516; // 0x1.55553e1068f19p-5
const C3 = -0.001388676379437604; // -0x1.6c087e89a359dp-10
const C4 = 2.4390450703564542e-5; // 0x1.99343027bf8c3p-16
const S1 = -0.16666654943701084; // -0x1.555545995a603p-3
const S2 = 0.008332178146138854; // 0x1.1107605230bc4p-7
const S3 = -0.00019517298981385725; // -0x1.994eb3774cf24p-13
/** The table for even quadrant pairs, and the one whose cosine polynomial is negated (quadrants with bit 1 set). */
const TABLE: readonly [SinCosTable, SinCosTable] = [
  { sign: SIGN, hpiInv: HPI_INV, hpi: HPI, c0: 1, c1: C1, c2: C2, c3: C3, c4: C4, s1: S1, s2: S2, s3: S3 },
  { sign: SIGN, hpiInv: HPI_INV, hpi: HPI, c0: -1, c1: -C1, c2: -C2, c3: -C3, c4: -C4, s1: S1, s2: S2, s3: S3 },
];
/** 2π·2^-64 (0x1.921FB54442D18p-62): one unit of reduce_large's 2.62 fixed-point result, in radians. */
const PI63 = 3.4061215800865545e-19;
/** __inv_pio4: 4/π to 192 bits, 8 new bits per entry so that any 4 consecutive words are readable. */
const INV_PIO4 = [
  0xa2, 0xa2f9, 0xa2f983, 0xa2f9836e, 0xf9836e4e, 0x836e4e44, 0x6e4e4415, 0x4e441529, 0x441529fc, 0x1529fc27, 0x29fc2757, 0xfc2757d1,
  0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0, 0x34ddc0db, 0xddc0db62, 0xc0db6295, 0xdb629599, 0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041,
] as const;

/** abstop12 thresholds: the top 12 bits, sign cleared, of π/4 (0x3f490fdb), 2^-12, 120 and +∞ as float32. */
const TOP_PIO4 = 0x3f4;
const TOP_TINY = 0x398;
const TOP_120 = 0x42f;
const TOP_INF = 0x7f8;

const scratch = new DataView(new ArrayBuffer(4));
function float32Bits(y: number): number {
  scratch.setFloat32(0, y, true);
  return scratch.getUint32(0, true);
}

type Fma = (a: number, b: number, c: number) => number;

/**
 * sinf_poly as __sinf_fma / __cosf_fma evaluate it: sine polynomial for an
 * even n, cosine for odd; each `u + v·w` of the C code is one FMA there.
 */
function sinfPoly(x: number, x2: number, p: SinCosTable, n: number, fma: Fma): number {
  if ((n & 1) === 0) {
    const x3 = x * x2;
    const s1 = fma(x2, p.s3, p.s2);
    const x7 = x3 * x2;
    const s = fma(x3, p.s1, x);
    return f32(fma(s1, x7, s));
  }
  const x4 = x2 * x2;
  const c2 = fma(x2, p.c4, p.c3);
  const c1 = fma(x2, p.c1, p.c0);
  const x6 = x4 * x2;
  const c = fma(x4, p.c2, c1);
  return f32(fma(c2, x6, c));
}

/** reduce_large's product: the low 32 bits and the high 32 bits of a·b for a, b < 2^32, in doubles (16-bit halves of b keep every product exact). */
function mul32(a: number, b: number): { hi: number; lo: number } {
  const ph = a * (b >>> 16); // < 2^48
  const pl = a * (b & 0xffff);
  const low = (ph % 0x10000) * 0x10000 + pl; // < 2^49
  return { hi: Math.floor(ph / 0x10000) + Math.floor(low / 2 ** 32), lo: low % 2 ** 32 };
}

/**
 * reduce_large for |y| ≥ 120 (xi the float32's bits): the 2.62 fixed-point
 * y·4/π modulo 4 from a 32×96-bit product, in 32-bit words held in doubles.
 * Returns the remainder in radians (|x| ≤ π/4) and the quadrant.
 */
function reduceLarge(xi: number): { x: number; n: number } {
  const k = (xi >>> 26) & 15;
  const m = (((xi & 0xffffff) | 0x800000) << ((xi >>> 23) & 7)) >>> 0;
  const r0 = mul32(m, INV_PIO4[k]).lo; // uint32 product: only the low word survives
  const r1 = mul32(m, INV_PIO4[k + 4]);
  const r2 = mul32(m, INV_PIO4[k + 8]).hi;
  // res0 = (r0 << 32 | r2) + r1, as words hi:lo modulo 2^64
  const lo = r2 + r1.lo;
  const hi = (r0 + r1.hi + (lo >= 2 ** 32 ? 1 : 0)) % 2 ** 32;
  // n = (res0 + 2^61) >> 62; res0 − (n << 62) as int64 = ((res0 + 2^61) mod 2^62) − 2^61
  const shifted = (hi + 2 ** 29) % 2 ** 32;
  const n = Math.floor(shifted / 2 ** 30);
  const signedHi = (shifted % 2 ** 30) - 2 ** 29;
  return { x: (signedHi * 2 ** 32 + (lo % 2 ** 32)) * PI63, n }; // one rounding, as the int64 → double conversion
}

/** reduce_large literally, in 64-bit BigInt arithmetic (the reference twin's). */
function reduceLargeReference(xi: number): { x: number; n: number } {
  const arr = (xi >>> 26) & 15;
  const shift = BigInt((xi >>> 23) & 7);
  const m = (BigInt((xi & 0xffffff) | 0x800000) << shift) & 0xffffffffn;
  const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
  let res0 = (m * BigInt(INV_PIO4[arr])) & 0xffffffffn;
  const res1 = m * BigInt(INV_PIO4[arr + 4]);
  const res2 = m * BigInt(INV_PIO4[arr + 8]);
  res0 = u64((res2 >> 32n) | (res0 << 32n));
  res0 = u64(res0 + res1);
  const n = u64(res0 + (1n << 61n)) >> 62n;
  res0 = u64(res0 - (n << 62n));
  return { x: Number(BigInt.asIntN(64, res0)) * PI63, n: Number(n) };
}

type Reduce = (xi: number) => { x: number; n: number };

/** s_sinf.c / s_cosf.c with the FMA contractions of __sinf_fma / __cosf_fma. */
function sinOrCos(y0: number, cos: boolean, fma: Fma, reduce: Reduce): number {
  const y = f32(y0);
  const xi = float32Bits(y);
  const top = (xi >>> 20) & 0x7ff;
  const x = y;
  if (top < TOP_PIO4) {
    if (top < TOP_TINY) return cos ? 1 : y;
    return sinfPoly(x, x * x, TABLE[0], cos ? 1 : 0, fma);
  }
  if (top < TOP_120) {
    // reduce_fast without TOINT_INTRINSICS: the quadrant from bits 24..31 of a truncated 2^24-scaled product
    const r = x * HPI_INV;
    const n = ((Math.trunc(r) | 0) + 0x800000) >> 24;
    const xr = fma(-n, HPI, x); // x − n·π/2, fused
    const p = TABLE[n & 2 ? 1 : 0];
    return sinfPoly(xr * p.sign[n & 3], xr * xr, p, cos ? n ^ 1 : n, fma);
  }
  if (top < TOP_INF) {
    const { x: xr, n } = reduce(xi);
    const q = n + (xi >>> 31); // the argument's sign as two more quadrants
    const p = TABLE[q & 2 ? 1 : 0];
    return sinfPoly(xr * p.sign[q & 3], xr * xr, p, cos ? n ^ 1 : n, fma);
  }
  return NaN; // ±∞ and NaN (glibc: __math_invalidf, errno EDOM for ∞)
}

/**
 * glibc 2.36's `sinf(y)` as x86-64 libm computes it with FMA (`__sinf_fma`):
 * float32 in, float32 out; within 0.56 ulp, usually but not always the
 * correctly rounded sine. `y` is rounded to float32 first.
 *
 * @example
 * ```ts
 * sinfGlibc(1); // 0.8414709568023682 (= Math.fround(Math.sin(1)))
 * sinfGlibc(609.15673828125); // -0.3071877956390381 (Math.fround(Math.sin(…)) is one ulp above)
 * ```
 */
export function sinfGlibc(y: number): number {
  return sinOrCos(y, false, fmaF64, reduceLarge);
}

/**
 * glibc 2.36's `cosf(y)` as x86-64 libm computes it with FMA (`__cosf_fma`):
 * float32 in, float32 out. `y` is rounded to float32 first.
 *
 * @example
 * ```ts
 * cosfGlibc(0); // 1
 * cosfGlibc(1e5); // -0.9993607997894287
 * cosfGlibc(Infinity); // NaN
 * ```
 */
export function cosfGlibc(y: number): number {
  return sinOrCos(y, true, fmaF64, reduceLarge);
}

/**
 * The reference twin of {@link sinfGlibc}: the same C code with every FMA
 * exact in BigInt ({@link fmaF64Reference}) and reduce_large in 64-bit
 * BigInt arithmetic, as written in glibc. Slow.
 *
 * @example
 * ```ts
 * sinfGlibcReference(1e5); // 0.03574879840016365
 * ```
 */
export function sinfGlibcReference(y: number): number {
  return sinOrCos(y, false, fmaF64Reference, reduceLargeReference);
}

/**
 * The reference twin of {@link cosfGlibc} (BigInt FMAs and reduce_large). Slow.
 *
 * @example
 * ```ts
 * cosfGlibcReference(0); // 1
 * ```
 */
export function cosfGlibcReference(y: number): number {
  return sinOrCos(y, true, fmaF64Reference, reduceLargeReference);
}
