// HfCheckpointError: what the Hugging Face loaders, exporter and converter throw for a checkpoint
// they cannot read or write. One class; the message names the file, key or tensor.
import { BitNetError } from "../errors.js";

/**
 * A Hugging Face checkpoint (config.json, safetensors, tokenizer files) that cannot be
 * loaded, exported or converted: the message names the file, key or tensor and what was
 * expected.
 *
 * @example
 * ```ts
 * try { loadHfCheckpoint(files); } catch (e) { if (e instanceof HfCheckpointError) console.error(e.message); }
 * ```
 */
export class HfCheckpointError extends BitNetError {
  constructor(message: string) {
    super(message);
    this.name = "HfCheckpointError";
  }
}
