// Train a tiny BitNet b1.58 language model in about a minute, in plain code:
// the same recipe as `bitnet train`, without the command line around it.
// Copy this file into a project that depends on @bitnet-quantize/cli and
// @bitnet-quantize/bitnet.
//
//   npm run example -- tiny-lm
import { mkdirSync, writeFileSync } from "node:fs";
import { DEFAULT_LM_CONFIG, LmTrainer, generateCorpus, lossCurveSvg } from "@bitnet-quantize/cli";
import { encodeGguf } from "@bitnet-quantize/bitnet/gguf";

// config: a small model (F16 export works at any width; TQ2_0 needs multiples of 256)
const config = { ...DEFAULT_LM_CONFIG, steps: 60, dim: 128, heads: 2, kvHeads: 1, ffnDim: 256, layers: 1, context: 48, batch: 4 };

// data and model: 600 generated stories, 10% held out; the tokenizer is trained on the text
const trainer = new LmTrainer(generateCorpus({ stories: 600, seed: 0 }), config);
console.log(`${trainer.parameterCount.toLocaleString("en-US")} parameters, ${trainer.trainIds.length} training tokens`);

// train: one AdamW step per call; validation loss every 20 steps (under noGrad)
while (!trainer.done) {
  const loss = trainer.trainStep();
  if (trainer.stepsDone % 20 === 0) {
    const val = trainer.estimateLoss("val");
    console.log(`step ${trainer.stepsDone}: loss ${loss.toFixed(3)}, validation ${val.toFixed(3)}: ${JSON.stringify(trainer.sample("one day tom"))}`);
  }
}

// results: the loss chart and a GGUF for llama.cpp
mkdirSync("out", { recursive: true });
writeFileSync("out/tiny-lm-loss.svg", lossCurveSvg(trainer.losses, { validation: trainer.valLosses }));
writeFileSync("out/tiny-lm.gguf", encodeGguf(trainer.model, trainer.tokenizer, { type: "F16", name: "tiny-lm" }));
console.log("wrote out/tiny-lm-loss.svg and out/tiny-lm.gguf (llama-cli -m out/tiny-lm.gguf -p \"one day tom\" -n 32 --temp 0 -no-cnv)");
