// Independent references for the tests: plain index loops over row-major
// float64 data, written without any of the library's kernels or layouts.

/** Row-major multi-index of flat position p in shape. */
export function unravel(p: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d];
    idx[d] = p % s;
    p = Math.floor(p / s);
  }
  return idx;
}

/** Flat position of a multi-index in shape. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let p = 0;
  for (let d = 0; d < shape.length; d++) p = p * shape[d] + idx[d];
  return p;
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** NumPy broadcasting, written out directly. */
export function naiveBroadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = i - (n - a.length) >= 0 ? (a[i - (n - a.length)]) : 1;
    const y = i - (n - b.length) >= 0 ? (b[i - (n - b.length)]) : 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(Math.max(x, y) === 1 ? 1 : x === 1 ? y : x);
  }
  return out;
}

/** Element of `data` (shape `shape`) that broadcasts to output index `outIdx`. */
export function broadcastRead(data: ArrayLike<number>, shape: readonly number[], outIdx: readonly number[]): number {
  const off = outIdx.length - shape.length;
  const idx = shape.map((s, d) => (s === 1 ? 0 : outIdx[d + off]));
  return data[ravel(idx, shape)];
}

/** out[i] = f(a[i'], b[i'']) with broadcasting. */
export function naiveBinary(
  a: ArrayLike<number>, as: readonly number[], b: ArrayLike<number>, bs: readonly number[], f: (x: number, y: number) => number,
): { data: Float64Array; shape: number[] } {
  const shape = naiveBroadcastShape(as, bs);
  if (shape === null) throw new Error("no broadcast");
  const n = size(shape);
  const data = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const idx = unravel(p, shape);
    data[p] = f(broadcastRead(a, as, idx), broadcastRead(b, bs, idx));
  }
  return { data, shape };
}

/** Reduce `axes` of row-major data with an accumulator function. */
export function naiveReduce(
  data: ArrayLike<number>, shape: readonly number[], axes: readonly number[], init: number, f: (acc: number, v: number) => number,
): { data: Float64Array; shape: number[] } {
  const outShape = shape.filter((_, d) => !axes.includes(d));
  const out = new Float64Array(size(outShape)).fill(init);
  const n = size(shape);
  for (let p = 0; p < n; p++) {
    const idx = unravel(p, shape);
    const o = ravel(idx.filter((_, d) => !axes.includes(d)), outShape);
    out[o] = f(out[o], data[p]);
  }
  return { data: out, shape: outShape };
}

/** C = A B for row-major A [M,K], B [K,N] in float64. */
export function naiveMatmul(a: ArrayLike<number>, b: ArrayLike<number>, M: number, K: number, N: number): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
      c[i * N + j] = s;
    }
  return c;
}

/** Permute row-major data: output dim i is input dim perm[i]. */
export function naivePermute(data: ArrayLike<number>, shape: readonly number[], perm: readonly number[]): Float64Array {
  const outShape = perm.map((p) => shape[p]);
  const n = size(shape);
  const out = new Float64Array(n);
  for (let q = 0; q < n; q++) {
    const oi = unravel(q, outShape);
    const ii = new Array<number>(shape.length);
    perm.forEach((p, i) => (ii[p] = oi[i]));
    out[q] = data[ravel(ii, shape)];
  }
  return out;
}
