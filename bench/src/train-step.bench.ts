// One training step of the 784-256-10 ReLU MLP with softmax cross-entropy at
// batch 64 (forward, backward, SGD update): @bitnet-quantize/autograd vs
// @tensorflow/tfjs-core on its cpu backend, side by side in one tinybench run.
//
// tfjs-core ships no backend of its own: its cpu backend is the package
// @tensorflow/tfjs-backend-cpu (a devDependency of bench; a side-effect import
// registers it). tfjs-core's Node build also registers no kernel gradients
// (the full @tensorflow/tfjs package does that from ESM files Node cannot load
// directly), so tf.grads/minimize fail with "gradient function not found for
// RealDiv". The tfjs step therefore writes the same backward out in tfjs ops
// (the kernels its autodiff would run, without the tape's overhead, so the
// comparison favours tfjs).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { cpuBackend, randint, randn, setBackend } from "@bitnet-quantize/tensor";
import { createMatmulPool } from "@bitnet-quantize/tensor/threads";
import { Var } from "@bitnet-quantize/autograd";
import { Linear, ReLU, Sequential, crossEntropy } from "@bitnet-quantize/autograd/nn";
import { SGD } from "@bitnet-quantize/autograd/optim";
import { type CompareTask, compare } from "./compare.js";

// Shapes: B batch, D input features, H hidden units, C classes.
const [B, D, H, C] = [64, 784, 256, 10];
const LR = 0.01;

/** Our step: zeroGrad, forward, cross-entropy, backward, SGD update. */
function ourStep(): () => number {
  const model = new Sequential(new Linear(D, H, { seed: 1 }), new ReLU(), new Linear(H, C, { seed: 2 }));
  const opt = new SGD(model.parameters(), { lr: LR });
  const x = new Var(randn([B, D], { seed: 3 }));
  const y = randint(0, C, [B], { seed: 4 });
  return () => {
    opt.zeroGrad();
    const loss = crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

/** Selects tfjs's cpu backend (registered by the import above). */
async function useTfjsCpu(): Promise<string> {
  await tf.setBackend("cpu");
  await tf.ready();
  return tf.getBackend();
}

/** The same step in tfjs-core ops: forward, softmax cross-entropy, explicit backward, SGD update. */
function tfjsStep(): () => number {
  const w1 = tf.variable(tf.randomUniform([D, H], -1 / Math.sqrt(D), 1 / Math.sqrt(D), "float32", 1));
  const b1 = tf.variable(tf.zeros([H]));
  const w2 = tf.variable(tf.randomUniform([H, C], -1 / Math.sqrt(H), 1 / Math.sqrt(H), "float32", 2));
  const b2 = tf.variable(tf.zeros([C]));
  const x = tf.randomNormal([B, D], 0, 1, "float32", 3);
  const y = tf.oneHot(tf.randomUniform([B], 0, C, "int32", 4), C);
  return () =>
    tf.tidy(() => {
      const h = tf.relu(tf.add(tf.matMul(x, w1), b1)); // [B, H]
      const logits = tf.add(tf.matMul(h, w2), b2); // [B, C]
      const logp = tf.logSoftmax(logits);
      const loss = tf.neg(tf.mean(tf.sum(tf.mul(y, logp), 1)));
      const dLogits = tf.div(tf.sub(tf.exp(logp), y), B); // d mean(CE) / d logits
      const dW2 = tf.matMul(h, dLogits, true, false);
      const dB2 = tf.sum(dLogits, 0);
      const dH = tf.mul(tf.matMul(dLogits, w2, false, true), tf.step(h)); // ReLU' = [h > 0]
      const dW1 = tf.matMul(x, dH, true, false);
      const dB1 = tf.sum(dH, 0);
      w1.assign(tf.sub(w1, tf.mul(dW1, LR)));
      b1.assign(tf.sub(b1, tf.mul(dB1, LR)));
      w2.assign(tf.sub(w2, tf.mul(dW2, LR)));
      b2.assign(tf.sub(b2, tf.mul(dB2, LR)));
      return loss.dataSync()[0] ?? NaN;
    });
}

/** Runs the suite. */
export async function run(): Promise<void> {
  const backend = await useTfjsCpu();
  console.log(`tfjs-core ${tf.version_core}, backend "${backend}"`);
  // the same step with the opt-in matmul thread pool (2 threads): its model lives on that backend
  const pool = await createMatmulPool({ threads: 2 });
  const previous = setBackend(cpuBackend({ matmul: pool.run }));
  const threadedStep = ourStep();
  setBackend(previous);
  const tasks: CompareTask[] = [
    { name: "autograd (ours)", fn: ourStep() },
    { name: "autograd (ours, 2 threads)", fn: threadedStep },
    { name: "tfjs-core cpu", fn: tfjsStep() },
  ];
  const rows = await compare(`MLP ${D}-${H}-${C} training step, batch ${B} (forward, backward, SGD)`, tasks, {
    baseline: "tfjs-core cpu",
    time: 5000,
    iterations: 30,
    warmupIterations: 5,
  });
  await pool.close();
  const ours = rows.find((r) => r.task === "autograd (ours)");
  const threaded = rows.find((r) => r.task === "autograd (ours, 2 threads)");
  if (threaded !== undefined) console.log(`ours with 2 matmul threads: median ${threaded.medianMs.toFixed(2)} ms`);
  const peer = rows.find((r) => r.task === "tfjs-core cpu");
  if (ours !== undefined) console.log(`ours: median ${ours.medianMs.toFixed(2)} ms (target <= 25 ms)`);
  if (ours !== undefined && peer !== undefined) {
    console.log(`tfjs-core cpu: median ${peer.medianMs.toFixed(2)} ms; tfjs / ours = ${(peer.medianMs / ours.medianMs).toFixed(2)}x`);
  }
}
