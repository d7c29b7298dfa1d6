// @bitnet-quantize/bitnet/node: the Node-only parts (file writes). Every other
// entry of this package is browser-safe; only this entry's files import node: modules.
export { exportGguf, type ExportGgufFileOptions } from "./export-gguf-file.js";
export { removeStaleTempFiles, writeFileAtomic } from "./write-file-atomic.js";
