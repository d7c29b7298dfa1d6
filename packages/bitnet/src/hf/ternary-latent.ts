// A latent float weight whose AbsMean quantization gives back given ternary codes and scale exactly:
// how packed (already ternary) checkpoints enter BitNetModel, whose BitLinear keeps a latent weight.
import { tensor } from "@bitnet-quantize/tensor";
import type { BitNetConfig } from "../config.js";
import { absMeanTernary } from "../quantize-weights.js";
import { HfCheckpointError } from "./hf-error.js";

/**
 * A weight W (same length as `codes`) with sign(W) = codes and mean|W| = `scale` in f32,
 * so that per-tensor AbsMean gives exactly `codes` and `scale`: every nonzero entry has
 * one magnitude except the last, tuned so the mean rounds to the scale. Checked by
 * running the quantizer.
 *
 * @throws HfCheckpointError when the scale is below the quantizer's eps or the check fails.
 * @example
 * ```ts
 * ternaryLatentWeight(new Int8Array([1, 0, -1, 1]), 0.5, BitNetConfig.default(), "w"); // Float32Array [0.667, 0, -0.667, 0.667]
 * ```
 */
export function ternaryLatentWeight(codes: Int8Array, scale: number, quant: BitNetConfig, name: string): Float32Array {
  const n = codes.length;
  const W = new Float32Array(n);
  let nnz = 0;
  for (const c of codes) if (c !== 0) nnz++;
  if (nnz === 0) return W;
  const s = Math.fround(scale);
  if (!(s >= quant.eps) || !Number.isFinite(s)) throw new HfCheckpointError(`${name}: scale ${s} is below the quantizer's eps ${quant.eps} or not finite`);
  const total = s * n;
  const v = Math.fround(total / nnz);
  const last = Math.fround(total - (nnz - 1) * v);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    if (c === 0) continue;
    k++;
    W[i] = c * (k === nnz ? last : v);
  }
  if (quant.groupSize !== "tensor") throw new HfCheckpointError(`${name}: packed checkpoints need per-tensor weight scales (BitNetConfig.groupSize "tensor")`);
  const q = absMeanTernary(tensor(W, [n]), { groupSize: "tensor", eps: quant.eps, rounding: quant.rounding });
  const got = q.codes.dataSync();
  for (let i = 0; i < n; i++) {
    if (got[i] !== codes[i]) throw new HfCheckpointError(`${name}: could not rebuild a latent weight with code ${codes[i]} at ${i}`);
  }
  if (q.scales.dataSync()[0] !== s) throw new HfCheckpointError(`${name}: the rebuilt weight has scale ${q.scales.dataSync()[0]}, not ${s}`);
  return W;
}
