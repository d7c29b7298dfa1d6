// CPU float matmul kernels, in "dot form": C[M,N] = A[M,K] · Btᵀ, where A and
// Bt are row-major, Bt holding B transposed ([N,K]), so both operands are read
// along K contiguously. `matmulReference` is the plain twin of `matmulBlocked`;
// a test holds the fast one to it.
//
// Shapes: M rows of A (batch/tokens), N rows of Bt (outputs), K inner.

/** A float typed array the kernels accept. */
export type FloatArray = Float32Array | Float64Array;

/** The signature of a dot-form matmul kernel: `c[M,N] = a[M,K] · bt[N,K]ᵀ`. */
export type MatmulKernel = (a: FloatArray, bt: FloatArray, c: FloatArray, M: number, N: number, K: number) => void;

/**
 * The plain reference: one dot product per output, one accumulator.
 * `c[m*N + n] = Σ_k a[m*K + k] · bt[n*K + k]`.
 */
export function matmulReference(a: FloatArray, bt: FloatArray, c: FloatArray, M: number, N: number, K: number): void {
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += a[m * K + k] * bt[n * K + k];
      c[m * N + n] = acc;
    }
  }
}

/**
 * The fast kernel: a register-blocked micro-tile of 4 rows of A by 2 rows of
 * Bt (8 accumulators; each loaded element feeds 2 or 4 multiply-adds), then
 * 1x4 tiles for the last rows of A (k unrolled by 2), then single dots.
 * Same contract and same result up to float rounding as {@link matmulReference}.
 */
export function matmulBlocked(a: FloatArray, bt: FloatArray, c: FloatArray, M: number, N: number, K: number): void {
  let m = 0;
  for (; m + 4 <= M; m += 4) {
    const a0 = m * K;
    const a1 = a0 + K;
    const a2 = a1 + K;
    const a3 = a2 + K;
    let n = 0;
    for (; n + 2 <= N; n += 2) {
      const b0 = n * K;
      const b1 = b0 + K;
      let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
      for (let k = 0; k < K; k++) {
        const w0 = bt[b0 + k];
        const w1 = bt[b1 + k];
        const x0 = a[a0 + k];
        const x1 = a[a1 + k];
        const x2 = a[a2 + k];
        const x3 = a[a3 + k];
        c00 += x0 * w0;
        c01 += x0 * w1;
        c10 += x1 * w0;
        c11 += x1 * w1;
        c20 += x2 * w0;
        c21 += x2 * w1;
        c30 += x3 * w0;
        c31 += x3 * w1;
      }
      const o = m * N + n;
      c[o] = c00;
      c[o + 1] = c01;
      c[o + N] = c10;
      c[o + N + 1] = c11;
      c[o + 2 * N] = c20;
      c[o + 2 * N + 1] = c21;
      c[o + 3 * N] = c30;
      c[o + 3 * N + 1] = c31;
    }
    for (; n < N; n++) {
      const b0 = n * K;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let k = 0; k < K; k++) {
        const w = bt[b0 + k];
        c0 += a[a0 + k] * w;
        c1 += a[a1 + k] * w;
        c2 += a[a2 + k] * w;
        c3 += a[a3 + k] * w;
      }
      c[m * N + n] = c0;
      c[(m + 1) * N + n] = c1;
      c[(m + 2) * N + n] = c2;
      c[(m + 3) * N + n] = c3;
    }
  }
  for (; m < M; m++) {
    const a0 = m * K;
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const b0 = n * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      let k = 0;
      for (; k + 2 <= K; k += 2) {
        const x0 = a[a0 + k];
        const x1 = a[a0 + k + 1];
        c0 += x0 * bt[b0 + k] + x1 * bt[b0 + k + 1];
        c1 += x0 * bt[b1 + k] + x1 * bt[b1 + k + 1];
        c2 += x0 * bt[b2 + k] + x1 * bt[b2 + k + 1];
        c3 += x0 * bt[b3 + k] + x1 * bt[b3 + k + 1];
      }
      if (k < K) {
        const x0 = a[a0 + k];
        c0 += x0 * bt[b0 + k];
        c1 += x0 * bt[b1 + k];
        c2 += x0 * bt[b2 + k];
        c3 += x0 * bt[b3 + k];
      }
      const o = m * N + n;
      c[o] = c0;
      c[o + 1] = c1;
      c[o + 2] = c2;
      c[o + 3] = c3;
    }
    for (; n < N; n++) {
      const b0 = n * K;
      let acc = 0;
      for (let k = 0; k < K; k++) acc += a[a0 + k] * bt[b0 + k];
      c[m * N + n] = acc;
    }
  }
}

/**
 * The kernel for few rows of A against a row-major B `[K, N]` (no transposed
 * copy of B, which would cost more than the product when M is small):
 * `c[m, :] = Σ_k a[m, k] · b[k, :]`, four rows of B per pass over a float64
 * accumulator row. Same result up to float rounding as
 * {@link matmulReference} on the transpose of `b`.
 */
export function matmulAxpy(a: FloatArray, b: FloatArray, c: FloatArray, M: number, N: number, K: number): void {
  const acc = new Float64Array(N);
  for (let m = 0; m < M; m++) {
    acc.fill(0);
    const a0 = m * K;
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const x0 = a[a0 + k];
      const x1 = a[a0 + k + 1];
      const x2 = a[a0 + k + 2];
      const x3 = a[a0 + k + 3];
      const b0 = k * N;
      const b1 = b0 + N;
      const b2 = b1 + N;
      const b3 = b2 + N;
      for (let n = 0; n < N; n++) {
        acc[n] = acc[n] + x0 * b[b0 + n] + x1 * b[b1 + n] + x2 * b[b2 + n] + x3 * b[b3 + n];
      }
    }
    for (; k < K; k++) {
      const x = a[a0 + k];
      const b0 = k * N;
      for (let n = 0; n < N; n++) acc[n] = acc[n] + x * b[b0 + n];
    }
    c.set(acc, m * N);
  }
}
