// GGUF projection tensors straight to packed ternary weights (2 bits per
// weight plus scales), with no float latent weights: TQ2_0 blocks are
// re-packed code by code (both formats store code = t + 1) and their fp16 `d`
// become the scales (also kept apart from `.scale`, for "ggml" arithmetic);
// other types (TQ1_0, F16, F32, BF16, Q8_0) are decoded one tensor at a time
// and must be ternary with one magnitude. Not the metadata
// or the model assembly (import-gguf.ts).
//
// Shapes: a projection [out, in] (ne = [in, out]); scales [out, 1] for one
// scale per row, or [out, in/256] when TQ blocks of a row differ.
import { type BytesLike, type GgufFile, type GgufTensorInfo, dequantize, tensorData, toBytes } from "@bitnet-quantize/gguf";
import { f16BitsToF32 } from "@bitnet-quantize/gguf/codecs";
import { tensor } from "@bitnet-quantize/tensor";
import { allocPackedWords, packTernaryArray, packedWordsTensor, wordsPerRow } from "@bitnet-quantize/tensor/quant";
import type { PackedWeights } from "../bit-linear.js";
import { GgufModelError } from "./gguf-names.js";

const QK = 256;
const TQ2_0_BYTES = 66;

/**
 * The packed weights of projection tensor `info` (shape `[out, in]`), each
 * value times `scale` (the file's `.scale`, 1 if none).
 *
 * @example
 * ```ts
 * const w = packedProjection(file, bytes, findTensor(file, "blk.0.attn_q.weight"), 1);
 * BitLinear.fromPacked(w);
 * ```
 */
export function packedProjection(file: GgufFile, input: BytesLike, info: GgufTensorInfo, scale: number): PackedWeights {
  const bytes = toBytes(input, "packedProjection");
  if (info.shape.length !== 2) throw new GgufModelError(`importGguf: ${info.name} must be 2-D, got [${info.shape.join(", ")}]`);
  if (info.type === "TQ2_0" && file.littleEndian) return packedFromTQ2_0(tensorData(file, bytes, info.name), info, scale);
  return packedFromValues(dequantize(file, bytes, info.name), info, scale);
}

/** TQ2_0: element 128h + 32n + m of a block sits in bits 2n of byte qs[32h + m]; our word w of the block (16 elements) has h = w >> 3, n = (w >> 1) & 3, m = 16·(w & 1) + i. */
function packedFromTQ2_0(raw: Uint8Array, info: GgufTensorInfo, scale: number): PackedWeights {
  const [N, K] = info.shape as [number, number];
  const B = K / QK;
  const wpr = wordsPerRow(K); // = 16 B
  const words = allocPackedWords(N * wpr); // where the CPU kernels read it: the model is resident once
  const d = new Float32Array(N * B);
  let perRow = true; // every row's blocks with a non-zero code share one d
  let lastBits = -1;
  let lastD = 0;
  for (let r = 0; r < N; r++) {
    let rowD: number | undefined;
    for (let b = 0; b < B; b++) {
      const blk = (r * B + b) * TQ2_0_BYTES;
      const wo = r * wpr + b * 16;
      let nonZero = 0;
      // each qs byte holds 4 codes (n = 0..3) of one m: one read feeds 4 words
      for (let h = 0; h < 2; h++) {
        for (let half = 0; half < 2; half++) {
          const base = blk + 32 * h + 16 * half;
          let w0 = 0, w1 = 0, w2 = 0, w3 = 0;
          for (let i = 0; i < 16; i++) {
            const byte = raw[base + i];
            const sh = 2 * i;
            w0 |= (byte & 3) << sh;
            w1 |= ((byte >>> 2) & 3) << sh;
            w2 |= ((byte >>> 4) & 3) << sh;
            w3 |= (byte >>> 6) << sh;
          }
          // a code 3 sets both bits of a pair
          if (((w0 & (w0 >>> 1)) | (w1 & (w1 >>> 1)) | (w2 & (w2 >>> 1)) | (w3 & (w3 >>> 1))) & 0x55555555) {
            throw new GgufModelError(`importGguf: ${info.name} has the invalid TQ2_0 code 3 in row ${r}, block ${b}`);
          }
          // word w of the block: h = w >> 3, n = (w >> 1) & 3, half = w & 1
          const o = wo + 8 * h + half;
          words[o] = w0;
          words[o + 2] = w1;
          words[o + 4] = w2;
          words[o + 6] = w3;
          nonZero |= (w0 ^ 0x55555555) | (w1 ^ 0x55555555) | (w2 ^ 0x55555555) | (w3 ^ 0x55555555); // all codes 1 (zero weights) gives 0
        }
      }
      const bits = raw[blk + 64] | (raw[blk + 65] << 8);
      if (bits !== lastBits) {
        lastBits = bits;
        lastD = f16BitsToF32(bits);
      }
      const db = lastD;
      d[r * B + b] = db;
      if (nonZero === 0) continue;
      if (!Number.isFinite(db)) throw new GgufModelError(`importGguf: ${info.name} has the scale ${db} in row ${r}, block ${b}`);
      if (rowD === undefined) rowD = db;
      else if (rowD !== db) perRow = false;
    }
  }
  const f32 = Math.fround;
  // llama.cpp's split ("ggml" arithmetic): each block's d in the dot, the file's .scale after it
  const ggml = { blockD: d, tensorScale: scale };
  if (perRow) {
    // one scale per row: the fast kernels' case (all-zero blocks contribute nothing, whatever their d)
    const scales = new Float32Array(N);
    for (let r = 0; r < N; r++) {
      let s = 0;
      for (let b = 0; b < B; b++) {
        const wo = r * wpr + b * 16;
        let any = false;
        for (let w = 0; w < 16 && !any; w++) any = words[wo + w] !== 0x55555555;
        if (any) {
          s = d[r * B + b];
          break;
        }
      }
      scales[r] = f32(s * scale);
    }
    return { packed: { words: packedWordsTensor(words, N, wpr), shape: [N, K] }, scales: tensor(scales, [N, 1]), groupColumns: K, ggml };
  }
  const scales = new Float32Array(N * B);
  for (let i = 0; i < N * B; i++) scales[i] = f32(d[i] * scale);
  return { packed: { words: packedWordsTensor(words, N, wpr), shape: [N, K] }, scales: tensor(scales, [N, B]), groupColumns: QK, ggml };
}

/** Decoded values: ternary with one magnitude m per tensor; the weight scale is m·scale. */
function packedFromValues(values: Float32Array, info: GgufTensorInfo, scale: number): PackedWeights {
  const [N, K] = info.shape as [number, number];
  let m = 0;
  const codes = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 0) continue;
    const a = Math.abs(v);
    if (m === 0) m = a;
    else if (a !== m) throw new GgufModelError(`importGguf: ${info.name} is not ternary with one scale (magnitudes ${m} and ${a}); BitNetModel needs BitNet b1.58 weights`);
    codes[i] = v > 0 ? 1 : -1;
  }
  const s = Math.fround(m * scale);
  return {
    packed: { words: packedWordsTensor(packTernaryArray(codes, N, K), N, wordsPerRow(K)), shape: [N, K] },
    scales: tensor(new Float32Array(N).fill(s), [N, 1]),
    groupColumns: K,
  };
}
