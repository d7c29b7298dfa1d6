// WebAssembly SIMD kernels for the two loops of attention over a cache of
// float32 rows, in float64 and in the order of their JavaScript twins
// (row-dots.ts), so the results are bit-identical to them:
//
// - "dots": out[t] = Σ_d q[d]·rows[t][d] for t < T (float64, d in order from
//   +0). Two rows per f64x2 (a row per lane: each lane's sum keeps its order),
//   four rows per step (four independent chains, as the JavaScript loop).
//   For each 4 columns, the rows' f32x4 loads are interleaved by shuffles into
//   (row t, row t+1) pairs and promoted.
// - "wsum": out[d] = f32(Σ_t p[t]·rows[t][d]) for d < D (float64, t in
//   order from +0). Two columns per f64x2 lane pair, eight per step (four
//   chains); a column per lane keeps each sum's order.
//
// The driver (row-dots.ts) takes 4-row (dots) and 8-column (wsum) steps here
// and leaves the tails to the JavaScript twin. What it gains is measured in
// row-dots.ts.
import { FunctionBuilder, INTERLEAVE_HIGH, INTERLEAVE_LOW, LOW_HALVES, UPPER_HALF, V128_ZERO } from "./code-builder.js";
import type { ValType } from "./opcodes.js";


/**
 * Emits `name(q, rows, stride, D, T, out)`: `q` float64 `[D]`, `rows`
 * float32 with row t at `rows + t·stride` (bytes), `out` float64 `[T]`;
 * `D` a multiple of 4 and `T` of 4 (the driver's job).
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitRowDotsF64("dots_f64")] });
 * ```
 */
export function emitRowDotsF64(name: string): FunctionBuilder {
  const params: ValType[] = ["i32", "i32", "i32", "i32", "i32", "i32"];
  const f = new FunctionBuilder(name, params, []);
  const [Q, ROWS, STRIDE, D, T, OUT] = [0, 1, 2, 3, 4, 5];
  const r = [f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32")]; // this step's four row pointers
  const qp = f.local("i32");
  const d = f.local("i32");
  const acc = [f.local("v128"), f.local("v128")]; // rows (0, 1) and (2, 3)
  const lo = [f.local("v128"), f.local("v128")];
  const hi = [f.local("v128"), f.local("v128")];
  const qv = f.local("v128");
  const a = f.local("v128");
  const b = f.local("v128");

  f.open("block");
  f.get(T).op("i32.eqz").brIf(0);
  f.get(D).op("i32.eqz").brIf(0);
  f.open("loop"); // over steps of four rows
  f.get(ROWS).set(r[0]);
  for (let k = 1; k < 4; k++) f.get(r[k - 1]).get(STRIDE).op("i32.add").set(r[k]);
  f.v128Const(V128_ZERO).set(acc[0]);
  f.v128Const(V128_ZERO).set(acc[1]);
  f.get(Q).set(qp);
  f.get(D).set(d);
  f.open("loop"); // over columns, four at a time
  for (let p = 0; p < 2; p++) {
    // rows 2p and 2p+1, columns d..d+3, as (row 2p, row 2p+1) pairs of columns
    f.get(r[2 * p]).memory("v128.load").set(a);
    f.get(r[2 * p + 1]).memory("v128.load").set(b);
    f.get(a).get(b).shuffle(INTERLEAVE_LOW).set(lo[p]);
    f.get(a).get(b).shuffle(INTERLEAVE_HIGH).set(hi[p]);
  }
  for (let c = 0; c < 4; c++) {
    f.get(qp).memory("v128.load64_splat", 8 * c).set(qv);
    for (let p = 0; p < 2; p++) {
      const src = c < 2 ? lo[p] : hi[p];
      f.get(acc[p]);
      if (c % 2 === 0) f.get(src);
      else f.get(src).get(src).shuffle(UPPER_HALF);
      f.op("f64x2.promote_low_f32x4").get(qv).op("f64x2.mul").op("f64x2.add").set(acc[p]);
    }
  }
  for (let k = 0; k < 4; k++) f.get(r[k]).i32Const(16).op("i32.add").set(r[k]);
  f.get(qp).i32Const(32).op("i32.add").set(qp);
  f.get(d).i32Const(4).op("i32.sub").variable("local.tee", d).brIf(0);
  f.end();
  f.get(OUT).get(acc[0]).memory("v128.store");
  f.get(OUT).get(acc[1]).memory("v128.store", 16);
  f.get(OUT).i32Const(32).op("i32.add").set(OUT);
  f.get(ROWS).get(STRIDE).i32Const(2).op("i32.shl").op("i32.add").set(ROWS);
  f.get(T).i32Const(4).op("i32.sub").variable("local.tee", T).brIf(0);
  f.end();
  f.end();
  return f;
}

/**
 * Emits `name(p, rows, stride, D, T, out)`: `p` float64 `[T]`, `rows`
 * float32 with row t at `rows + t·stride` (bytes), `out` float32 `[D]`;
 * `D` a multiple of 8 and `T` at least 1 (the driver's job).
 *
 * @example
 * ```ts
 * encodeModule({ memoryMinPages: 1, functions: [emitWeightedRowSumF64("wsum_f64")] });
 * ```
 */
export function emitWeightedRowSumF64(name: string): FunctionBuilder {
  const params: ValType[] = ["i32", "i32", "i32", "i32", "i32", "i32"];
  const f = new FunctionBuilder(name, params, []);
  const [P, ROWS, STRIDE, D, T, OUT] = [0, 1, 2, 3, 4, 5];
  const rp = f.local("i32");
  const pp = f.local("i32");
  const t = f.local("i32");
  const acc = [f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128")]; // columns (0,1) (2,3) (4,5) (6,7)
  const v = [f.local("v128"), f.local("v128")];
  const pv = f.local("v128");

  f.open("block");
  f.get(T).op("i32.eqz").brIf(0);
  f.get(D).op("i32.eqz").brIf(0);
  f.open("loop"); // over steps of eight columns
  for (const a of acc) f.v128Const(V128_ZERO).set(a);
  f.get(ROWS).set(rp);
  f.get(P).set(pp);
  f.get(T).set(t);
  f.open("loop"); // over rows, in order
  f.get(pp).memory("v128.load64_splat").set(pv);
  f.get(rp).memory("v128.load").set(v[0]);
  f.get(rp).memory("v128.load", 16).set(v[1]);
  for (let k = 0; k < 4; k++) {
    const src = v[k >> 1];
    f.get(acc[k]);
    if (k % 2 === 0) f.get(src);
    else f.get(src).get(src).shuffle(UPPER_HALF);
    f.op("f64x2.promote_low_f32x4").get(pv).op("f64x2.mul").op("f64x2.add").set(acc[k]);
  }
  f.get(rp).get(STRIDE).op("i32.add").set(rp);
  f.get(pp).i32Const(8).op("i32.add").set(pp);
  f.get(t).i32Const(1).op("i32.sub").variable("local.tee", t).brIf(0);
  f.end();
  f.get(OUT).get(acc[0]).op("f32x4.demote_f64x2_zero").get(acc[1]).op("f32x4.demote_f64x2_zero").shuffle(LOW_HALVES).memory("v128.store");
  f.get(OUT).get(acc[2]).op("f32x4.demote_f64x2_zero").get(acc[3]).op("f32x4.demote_f64x2_zero").shuffle(LOW_HALVES).memory("v128.store", 16);
  f.get(OUT).i32Const(32).op("i32.add").set(OUT);
  f.get(ROWS).i32Const(32).op("i32.add").set(ROWS);
  f.get(D).i32Const(8).op("i32.sub").variable("local.tee", D).brIf(0);
  f.end();
  f.end();
  return f;
}
