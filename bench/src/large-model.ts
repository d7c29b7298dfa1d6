// The large-shaped random BitNet model of the inference benchmark, built in
// code and written with our exporter: the shape of 1bitLLM's
// bitnet_b1_58-large (24 layers, dim 1536, ffn 4096, 16 heads, 16 kv heads),
// random ternary codes (a third each of -1, 0, 1), one scale per tensor,
// TQ2_0 projections, an F16 embedding over a small trained vocabulary.
// Packed weights are made directly (no float latents). Not the measurement.
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type BitLinear, BitNetModel, trainTokenizer } from "@bitnet-quantize/bitnet";
import { exportGguf } from "@bitnet-quantize/bitnet/node";
import { Generator, randn, tensor } from "@bitnet-quantize/tensor";
import { packTernaryArray, wordsPerRow } from "@bitnet-quantize/tensor/quant";

/** The benchmark's model shape. */
export const LARGE = { vocabSize: 512, dim: 1536, layers: 24, heads: 16, kvHeads: 16, ffnDim: 4096, contextLength: 256 } as const;

const CORPUS = `Once upon a time there was a little cat. The cat liked to play in the sun with a red ball.
One day the cat met a dog in the park. They became friends and played together every day.
The sun was warm and the sky was blue. The children laughed and ran across the green grass.`;

/**
 * Writes the model to `path` unless it exists; returns the path.
 *
 * @example
 * ```ts
 * await buildLargeModelFile("/tmp/large.gguf");
 * ```
 */
export async function buildLargeModelFile(path: string, shape: typeof LARGE = LARGE): Promise<string> {
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  const tokenizer = trainTokenizer(CORPUS.repeat(4), shape.vocabSize);
  const model = new BitNetModel({ ...shape, vocabSize: tokenizer.vocabSize }, { init: "empty" });
  const g = new Generator(42);
  model.embed_tokens.weight.value = randn([tokenizer.vocabSize, shape.dim], { generator: g }).mul(1 / Math.sqrt(shape.dim));
  let seed = 1;
  for (const [, p] of model.projections()) p.loadPacked(randomPacked(p, seed++));
  await exportGguf(model, tokenizer, { type: "TQ2_0", embeddingType: "F16", path });
  return path;
}

/** Random codes (xorshift), scale 1/√in so activations keep their size. */
function randomPacked(p: BitLinear, seed: number): Parameters<BitLinear["loadPacked"]>[0] {
  const N = p.outFeatures;
  const K = p.inFeatures;
  const codes = new Int8Array(N * K);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < codes.length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    codes[i] = (s % 3) - 1;
  }
  return {
    packed: { words: tensor(packTernaryArray(codes, N, K), [N, wordsPerRow(K)], "uint32"), shape: [N, K] },
    scales: tensor(new Float32Array(N).fill(Math.fround(1 / Math.sqrt(K))), [N, 1]),
    groupColumns: K,
  };
}
