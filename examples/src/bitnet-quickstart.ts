// Quick start: quantize one weight matrix to BitNet b1.58 and run a batch
// through BitLinear, in training (fake-quant) and frozen (integer) form.
// Run: npm run example -- quickstart
import { Var } from "@bitnet-quantize/autograd";
import { BitLinear, BitNetConfig, absMeanTernary } from "@bitnet-quantize/bitnet";
import { randn } from "@bitnet-quantize/tensor";

// config: per-tensor AbsMean weights, 8-bit per-token AbsMax activations
const config = BitNetConfig.builder().groupSize("tensor").activationBits(8).perToken(true).useSte(true).build();

// a 512 x 256 weight (out x in, as Linear stores it) and a batch of 4 tokens
const weight = randn([512, 256], { seed: 0 }).mul(0.05);
const layer = BitLinear.fromWeight(weight, null, config);
const x = new Var(randn([4, 256], { seed: 1 }));

const q = absMeanTernary(weight);
const counts = { "-1": 0, "0": 0, "+1": 0 };
for (const c of q.codes.dataSync()) counts[c < 0 ? "-1" : c > 0 ? "+1" : "0"]++;
console.log(`weight: [${weight.shape.join(", ")}]  scale (mean |w|): ${q.scales.item().toFixed(5)}`);
console.log(`ternary codes: -1 ${counts["-1"]}, 0 ${counts["0"]}, +1 ${counts["+1"]}`);

const yTrain = layer.forward(x);
console.log(`input: [${x.shape.join(", ")}] -> output: [${yTrain.shape.join(", ")}] (training forward, STE)`);

layer.freeze();
const yFrozen = layer.forward(x);
const maxDiff = yFrozen.value.sub(yTrain.value).abs().max().item();
console.log(`frozen forward (int8 x packed ternary): max |difference| to training forward = ${maxDiff.toExponential(2)}`);
console.log(`compression ratio: ${layer.compressionRatio().toFixed(2)}x   sparsity: ${(100 * layer.sparsity()).toFixed(1)}%`);
