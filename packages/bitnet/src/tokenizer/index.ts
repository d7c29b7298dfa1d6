// The tokenizer: an SPM vocabulary that llama.cpp reproduces, and its trainer.
export { BigramQueue, type Bigram } from "./bigram-queue.js";
export { SpmTokenizer, type DecodeOptions, type EncodeOptions, type SpmVocab } from "./spm-tokenizer.js";
export { BASE_VOCAB_SIZE, trainTokenizer, type TrainTokenizerOptions } from "./train-tokenizer.js";
export { SPACE_MARK, TOKEN_TYPE, bytePiece, type TokenType } from "./token-type.js";
export { TokenizerError } from "./tokenizer-error.js";
