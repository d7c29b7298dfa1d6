// @bitnet-quantize/autograd/checkpoint: save and restore a training run
// (module, optimizer, config) as one safetensors file. Browser-safe.
export { CHECKPOINT_FORMAT, loadCheckpoint, readCheckpointConfig, saveCheckpoint } from "./checkpoint.js";
export type { CheckpointContents, CheckpointParts, JsonValue } from "./checkpoint.js";
