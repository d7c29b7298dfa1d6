// Conformance cases: packed ternary matmul (Backend.ternaryMatmul, where the backend has it).
import { tensor } from "../../creation.js";
import { fromStorage } from "../../tensor.js";
import { packTernaryArray } from "../../quant/packed-format.js";
import { values, ints, forEachIndex, expectData, caseAdder } from "./support.js";
import type { ConformanceCase } from "./types.js";

/**
 * Packed ternary matmul (Backend.ternaryMatmul, where the backend has it).
 *
 * @example
 * ```ts
 * for (const c of ternaryCases()) await c.run(cpuBackend());
 * ```
 */
export function ternaryCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add1 = caseAdder(cases);

  // packed ternary matmul (Backend.ternaryMatmul, where the backend has it)
  function refTernary(x: readonly number[], xScale: readonly number[], t: readonly number[], wScale: readonly number[], m: number, n: number, k: number, gs: number): { out: number[]; bound: number[] } {
    const G = Math.ceil(k / gs);
    const out: number[] = [];
    const bound: number[] = [];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let y = 0;
        let ya = 0;
        for (let g = 0; g < G; g++) {
          let acc = 0;
          let aa = 0;
          for (let p = g * gs; p < Math.min(k, (g + 1) * gs); p++) {
            acc += (t[j * k + p]) * (x[i * k + p]);
            aa += Math.abs(x[i * k + p]);
          }
          y += (wScale[j * G + g]) * acc;
          ya += Math.abs(wScale[j * G + g]) * aa;
        }
        out.push(y / (xScale[i]));
        bound.push((ya / Math.abs(xScale[i])) * 2e-6);
      }
    }
    return { out, bound };
  }
  for (const [xDtype, m, n, k, gs] of [
    ["int8", 1, 5, 40, 40],
    ["int8", 3, 9, 100, 32],
    ["int8", 4, 7, 100, 10],
    ["int8", 2, 33, 512, 128],
    ["float32", 1, 6, 50, 50],
    ["float32", 5, 8, 96, 16],
    ["float32", 2, 3, 30, 7],
  ] as const) {
    add1(`ternary/${xDtype}-m${m}-n${n}-k${k}-g${gs}`, async (b) => {
      if (b.ternaryMatmul === undefined) return;
      const seed = m * 7 + n * 13 + k;
      const x = xDtype === "int8" ? ints(m * k, seed, -127, 128) : values(m * k, seed);
      const t = ints(n * k, seed + 1, -1, 2);
      const xScale = xDtype === "int8" ? values(m, seed + 2, 0.5, 3) : new Array<number>(m).fill(1);
      const G = Math.ceil(k / gs);
      const wScale = values(n * G, seed + 3, 0.01, 0.2);
      const words = packTernaryArray(t, n, k);
      const tx = tensor(x, [m, k], xDtype, b);
      const ts = tensor(xScale, [m], "float32", b);
      const tw = tensor(words, [n, words.length / n], "uint32", b);
      const tws = tensor(wScale, [n, G], "float32", b);
      const storage = b.ternaryMatmul({ x: tx.view, xScale: ts.view, w: tw.view, wScale: tws.view, k, groupSize: gs });
      const y = fromStorage(storage, [m, n], "float32");
      const { out, bound } = refTernary(x, xScale, t, wScale, m, n, k, gs);
      await expectData(`ternary/${xDtype}`, y, [m, n], "float32", out, { atolEach: bound, atol: 1e-6 });
    });
  }
  add1("ternary/strided-activations", async (b) => {
    if (b.ternaryMatmul === undefined) return;
    const [m, n, k] = [3, 4, 48];
    const x = ints(m * k, 7, -127, 128);
    const xT: number[] = [];
    forEachIndex([k, m], ([p, i]) => xT.push(x[(i) * k + (p)]));
    const tx = tensor(xT, [k, m], "int8", b).transpose(); // [m, k], strided
    const t = ints(n * k, 8, -1, 2);
    const xScale = [1, 2, 4];
    const wScale = [0.5, 0.25, 1, 2];
    const w = packTernaryArray(t, n, k);
    const storage = b.ternaryMatmul({
      x: tx.view,
      xScale: tensor(xScale, [m], "float32", b).view,
      w: tensor(w, [n, 3], "uint32", b).view,
      wScale: tensor(wScale, [n, 1], "float32", b).view,
      k,
      groupSize: k,
    });
    const y = fromStorage(storage, [m, n], "float32");
    const { out, bound } = refTernary(x, xScale, t, wScale, m, n, k, k);
    await expectData("ternary/strided", y, [m, n], "float32", out, { atolEach: bound, atol: 1e-6 });
  });
  return cases;
}
