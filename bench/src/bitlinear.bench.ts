// Frozen BitLinear forward (int8 activations x packed ternary weights, LUT
// kernel) vs our float32 Linear forward vs tfjs-core's cpu backend doing the
// same x·Wᵀ + b, side by side per shape (in x out) and batch.
// Issue 4's targets: at batch 1 on 1024x4096, ternary >= 2.5x our float32
// and >= 10x tfjs-cpu.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { Var, noGrad } from "@bitnet-quantize/autograd";
import { Linear } from "@bitnet-quantize/autograd/nn";
import { BitLinear } from "@bitnet-quantize/bitnet";
import { randn } from "@bitnet-quantize/tensor";
import { compare } from "./compare.js";

const SHAPES: [number, number][] = [
  [256, 512],
  [512, 1024],
  [1024, 4096],
  [4096, 1024],
];

/** Runs the suite (`npm run bench -- bitlinear --quick` for batch 1 only). */
export async function run(): Promise<void> {
  await tf.setBackend("cpu");
  const quick = process.argv.includes("--quick");
  const summary: Record<string, string | number>[] = [];
  for (const [inF, outF] of SHAPES) {
    const ternary = new BitLinear(inF, outF, { seed: 1 }).freeze();
    const linear = new Linear(inF, outF, { seed: 1 });
    const wTf = tf.tensor2d(linear.weight.value.cast("float32").dataSync(), [outF, inF]);
    const bTf = tf.tensor1d((linear.bias as Var).value.cast("float32").dataSync());
    for (const batch of quick ? [1] : [1, 4, 64]) {
      const x = randn([batch, inF], { seed: 2 });
      const xv = new Var(x);
      const xTf = tf.tensor2d(x.cast("float32").dataSync(), [batch, inF]);
      // warm the prepared-weight cache and JIT before timing
      ternary.forward(xv);
      const big = inF * outF * batch > 64 * 1024 * 1024;
      const rows = await compare(`in x out = ${inF}x${outF}, batch ${batch}`, [
        { name: "tfjs-cpu matMul+add", fn: () => tf.tidy(() => tf.add(tf.matMul(xTf, wTf, false, true), bTf).dataSync()) },
        { name: "float32 Linear", fn: () => noGrad(() => linear.forward(xv).value.dataSync()) },
        { name: "frozen BitLinear", fn: () => ternary.forward(xv).value.dataSync() },
      ], { baseline: "float32 Linear", time: big ? 2000 : 800, iterations: big ? 3 : 10 });
      const med = (name: string): number => rows.find((r) => r.task === name)?.medianMs ?? NaN;
      summary.push({
        "in x out": `${inF}x${outF}`,
        batch,
        "tfjs ms": Number(med("tfjs-cpu matMul+add").toFixed(3)),
        "f32 ms": Number(med("float32 Linear").toFixed(3)),
        "ternary ms": Number(med("frozen BitLinear").toFixed(3)),
        "f32/ternary": Number((med("float32 Linear") / med("frozen BitLinear")).toFixed(2)),
        "tfjs/ternary": Number((med("tfjs-cpu matMul+add") / med("frozen BitLinear")).toFixed(2)),
      });
      xTf.dispose();
    }
    wTf.dispose();
    bTf.dispose();
  }
  console.log("### summary (medians)");
  console.table(summary);
}
