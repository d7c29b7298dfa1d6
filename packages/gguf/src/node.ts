// @bitnet-quantize/gguf/node: the Node-only parts (file paths, file handles, the CLI).
// The main entry stays browser-safe; only this entry's files import node: modules.
export { fileHandleSource, readGgufHeaderFromFile } from "./file-source.js";
export { runCli, type CliIo } from "./cli.js";
