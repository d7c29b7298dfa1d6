// Conformance cases: float matmul.
import { tensor } from "../../creation.js";
import { matmul } from "../../ops/matmul.js";
import { values, forEachIndex, expectData, caseAdder, refMatmul } from "./support.js";
import type { ConformanceCase } from "./types.js";

/**
 * Float matmul.
 *
 * @example
 * ```ts
 * for (const c of matmulCases()) await c.run(cpuBackend());
 * ```
 */
export function matmulCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add1 = caseAdder(cases);

  // matmul
  for (const [m, k, n] of [[1, 1, 1], [3, 5, 2], [37, 53, 29], [64, 64, 64], [70, 130, 90], [1, 257, 33], [33, 19, 1]] as const) {
    add1(`matmul/${m}x${k}x${n}`, async (b) => {
      const a = values(m * k, m * 1000 + k);
      const c = values(k * n, n * 1000 + k);
      const { out, bound } = refMatmul(a, c, 1, m, k, n, false);
      await expectData(`matmul/${m}x${k}x${n}`, matmul(tensor(a, [m, k], "float32", b), tensor(c, [k, n], "float32", b)), [m, n], "float32", out, { atolEach: bound, atol: 1e-6 });
    });
  }
  add1("matmul/batched-broadcast-and-transposed", async (b) => {
    const [B, m, k, n] = [3, 20, 17, 24];
    const a = values(B * m * k, 101);
    const c = values(k * n, 102);
    const shared = refMatmul(a, c, B, m, k, n, false);
    await expectData("matmul/broadcast-b", matmul(tensor(a, [B, m, k], "float32", b), tensor(c, [k, n], "float32", b)), [B, m, n], "float32", shared.out, { atolEach: shared.bound, atol: 1e-6 });
    const cb = values(B * k * n, 103);
    const per = refMatmul(a, cb, B, m, k, n, true);
    // b given as the transpose of a [B, n, k] tensor: strided operand
    const cbT: number[] = [];
    forEachIndex([B, n, k], ([z, j, p]) => cbT.push(cb[(z) * k * n + (p) * n + (j)]));
    const bt = tensor(cbT, [B, n, k], "float32", b).transpose(1, 2);
    await expectData("matmul/batched-transposed-b", matmul(tensor(a, [B, m, k], "float32", b), bt), [B, m, n], "float32", per.out, { atolEach: per.bound, atol: 1e-6 });
    const a4 = values(2 * 3 * 4 * 5, 104);
    const b4 = values(3 * 5 * 2, 105);
    const expected: number[] = [];
    for (let p = 0; p < 2; p++) {
      for (let q = 0; q < 3; q++) {
        const r = refMatmul(a4.slice((p * 3 + q) * 20, (p * 3 + q + 1) * 20), b4.slice(q * 10, q * 10 + 10), 1, 4, 5, 2, false);
        expected.push(...r.out);
      }
    }
    await expectData("matmul/4d-batch-broadcast", matmul(tensor(a4, [2, 3, 4, 5], "float32", b), tensor(b4, [1, 3, 5, 2], "float32", b)), [2, 3, 4, 2], "float32", expected, { rtol: 1e-5, atol: 1e-5 });
    await expectData("matmul/vector-vector", matmul(tensor([1, 2, 3], [3], "float32", b), tensor([4, 5, 6], [3], "float32", b)), [], "float32", [32]);
  });

  return cases;
}
