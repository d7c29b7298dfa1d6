// @bitnet-quantize/cli: the language-model training recipe behind `bitnet
// train` and `npm start` with its charts, and the data and classifier pieces
// of the MLP examples. Browser-safe (no Node built-ins);
// the command line itself is in the "./node" entry.
export { VERSION } from "./version.js";
export { DEFAULT_LM_CONFIG, LmTrainError, LmTrainer, type LmTrainConfig, type ValPoint } from "./lm/lm-trainer.js";
export { generateCorpus, type CorpusOptions } from "./lm/corpus.js";
export { lossCurveSvg, type LossCurveOptions } from "./lm/loss-svg.js";
export { ternaryHistogramSvg, type TernaryShares } from "./lm/ternary-svg.js";
export { niceTicks } from "./lm/nice-ticks.js";
export { batches, type Batch, type Dataset, type Splits } from "./data/dataset.js";
export { SYNTHETIC_CLASSES, drawShapes, syntheticShapes } from "./data/synthetic.js";
export { createMlp, type LinearFactory, type MlpConfig } from "./classifier/mlp-model.js";
export { evaluate, trainEpoch, type EvalResult, type StepInfo, type TrainEpochOptions } from "./classifier/mlp-train.js";
