// @bitnet-quantize/cli: the language-model training recipe behind `bitnet
// train` and `npm start`, and its charts. Browser-safe (no Node built-ins);
// the command line itself is in the "./node" entry.
export { DEFAULT_LM_CONFIG, LmTrainError, LmTrainer, type LmTrainConfig, type ValPoint } from "./lm/lm-trainer.js";
export { generateCorpus, type CorpusOptions } from "./lm/corpus.js";
export { lossCurveSvg, type LossCurveOptions } from "./lm/loss-svg.js";
export { ternaryHistogramSvg, type TernaryShares } from "./lm/ternary-svg.js";
export { niceTicks } from "./lm/nice-ticks.js";
