// @bitnet-quantize/autograd/optim: SGD, Adam, AdamW (PyTorch's formulas and
// defaults), global-norm gradient clipping and learning-rate schedules.
export { Optimizer } from "./optimizer.js";
export type { OptimizerStateDict, ParamOptimizerState } from "./optimizer.js";
export { SGD } from "./sgd.js";
export type { SGDOptions } from "./sgd.js";
export { Adam, AdamW } from "./adam.js";
export type { AdamOptions } from "./adam.js";
export { clipGradNorm } from "./clip.js";
export type { ClipOptions } from "./clip.js";
export { LRScheduler, stepDecay, warmupCosine } from "./schedules.js";
export type { Schedule, StepDecayOptions, WarmupCosineOptions } from "./schedules.js";
