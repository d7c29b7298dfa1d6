// Embedding: a lookup table of vectors indexed by integer ids, initialised
// N(0, 1) as PyTorch does. Backward adds into the rows that were looked up.
import { type Tensor, ArgumentError, DTypeError, Generator, isFloat } from "@bitnet-quantize/tensor";
import { indexSelect } from "../ops/index-select.js";
import { type Var, param } from "../var.js";
import { type InitOptions, normal } from "./init.js";
import { Module } from "./module.js";

/**
 * `ids [...] -> [..., dim]`: row `ids[i]` of the weight `[numEmbeddings, dim]`.
 *
 * @example
 * ```ts
 * const emb = new Embedding(10, 4, { seed: 0 });
 * emb.forward(tensor([[1, 2, 3]], undefined, "int32")).shape; // [1, 3, 4]
 * ```
 */
export class Embedding extends Module<Tensor, Var> {
  /** Number of rows (the vocabulary size). */
  readonly numEmbeddings: number;
  /** Vector size. */
  readonly embeddingDim: number;
  /** `[numEmbeddings, embeddingDim]`, N(0, 1). */
  weight: Var;

  constructor(numEmbeddings: number, embeddingDim: number, opts: InitOptions = {}) {
    super();
    for (const [name, v] of [["numEmbeddings", numEmbeddings], ["embeddingDim", embeddingDim]] as const) {
      if (!Number.isSafeInteger(v) || v <= 0) throw new ArgumentError(`Embedding: ${name} must be a positive integer, got ${v}`);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    const generator = opts.generator ?? (opts.seed === undefined ? undefined : new Generator(opts.seed));
    this.weight = param(normal([numEmbeddings, embeddingDim], { dtype: opts.dtype ?? "float32", ...(generator === undefined ? {} : { generator }) }));
  }

  /** Looks up integer ids of any shape. */
  forward(ids: Tensor): Var {
    if (isFloat(ids.dtype)) throw new DTypeError(`Embedding: ids must be integers, got ${ids.dtype}`);
    return indexSelect(this.weight, 0, ids.reshape([-1])).reshape([...ids.shape, this.embeddingDim]);
  }
}
