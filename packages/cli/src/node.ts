// @bitnet-quantize/cli/node: the command line and the file readers (IDX,
// Fashion-MNIST). Node only: files, signals, the terminal.
export { runCli, defaultContext } from "./cli/run-cli.js";
export type { CommandContext } from "./cli/command-context.js";
export { trainCommand } from "./cli/train-command.js";
export { generateCommand } from "./cli/generate-command.js";
export { inspectCommand } from "./cli/inspect-command.js";
export { convertCommand } from "./cli/convert-command.js";
export { ProgressDisplay, TERMINAL, formatDuration, type ProgressInfo, type ProgressSink } from "./cli/progress.js";
export { UsageError, choiceOption, floatOption, intOption, parseCommand, type OptionSpec, type ParsedCommand } from "./cli/usage-error.js";
export { IdxFormatError, parseIdx, readIdx, type IdxArray } from "./data/idx.js";
export { DataMissingError, FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, FASHION_MNIST_FILES, loadFashionMnist } from "./data/fashion-mnist.js";
