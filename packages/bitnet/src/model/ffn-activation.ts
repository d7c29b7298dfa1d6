// The gated FFN activation of the gate and up projections: SiLU(gate) · up or
// ReLU²(gate) · up. Written twice: in tensor ops (any backend, WebGPU) and on
// host arrays (backends with synchronous reads: tensor's siluMulF32 kernel,
// a ReLU² loop), which round to float32 after every step exactly where the
// tensor ops store a float32 result, so the two agree bit for bit. A third
// version follows llama.cpp's CPU backend (ggml's vector SiLU) for the
// "ggml" arithmetic. Not the projections around it.
//
// Shapes: gate, up [N, F] -> [N, F].
import { type Tensor, add, div, exp, mul, neg, relu, siluMulF32 } from "@bitnet-quantize/tensor";
import { BitNetError } from "../errors.js";
import { siluF32Ggml } from "./ggml-float.js";
import type { HiddenActivation } from "./model-config.js";

const f32 = Math.fround;

/**
 * The FFN activation of the gate times up, on the backend: SiLU (`g / (1 + e^-g)`)
 * or squared ReLU. The one place a new activation goes (with its host twin,
 * {@link ffnActivationRows}).
 *
 * @example
 * ```ts
 * ffnActivation(tensor([[-1, 0, 2]]), tensor([[1, 1, 1]]), "silu").toArray(); // [[-0.2689, 0, 1.7616]]
 * ```
 */
export function ffnActivation(gate: Tensor, up: Tensor, act: HiddenActivation): Tensor {
  switch (act) {
    case "silu":
      return mul(div(gate, add(exp(neg(gate)), 1)), up);
    case "relu2": {
      const r = relu(gate);
      return mul(mul(r, r), up);
    }
    default:
      throw new BitNetError(`ffnActivation: unknown activation ${JSON.stringify(act)}`);
  }
}

/**
 * {@link ffnActivation} on host arrays, bit-identical to it on the CPU: SiLU
 * is `f32(f32(g / f32(f32(e^-g) + 1)) · u)` (tensor's `siluMulF32`: a SIMD
 * kernel with a plain twin), ReLU² `f32(f32(r · r) · u)`.
 * Writes `out` (default a new array; it may be `gate` or `up`) and returns it.
 *
 * @example
 * ```ts
 * Array.from(ffnActivationRows(new Float32Array([-1, 0, 2]), new Float32Array([1, 1, 1]), "silu")); // [-0.2689, 0, 1.7616]
 * ```
 */
export function ffnActivationRows(gate: Float32Array, up: Float32Array, act: HiddenActivation, out: Float32Array = new Float32Array(gate.length)): Float32Array {
  const n = gate.length;
  if (up.length !== n || out.length !== n) throw new BitNetError(`ffnActivationRows: gate, up and out must have one length, got ${n}, ${up.length} and ${out.length}`);
  switch (act) {
    case "silu":
      return siluMulF32(gate, up, out);
    case "relu2":
      for (let i = 0; i < n; i++) {
        const g = gate[i];
        const r = g > 0 ? g : g !== g ? g : 0; // relu's reference: keeps NaN, maps -0 to 0
        out[i] = f32(r * r) * up[i];
      }
      return out;
    default:
      throw new BitNetError(`ffnActivationRows: unknown activation ${JSON.stringify(act)}`);
  }
}

/**
 * {@link ffnActivationRows} as llama.cpp's CPU backend computes it, on rows
 * of `F` values: SiLU by `ggml_vec_silu_f32` (lanes of 16: {@link siluF32Ggml};
 * the last F mod 16 of a row by libm's expf in ggml, here `Math.exp`, which
 * can differ from it in the last bit), then `f32(silu · up)`; ReLU² as
 * {@link ffnActivationRows}. The `arithmetic: "ggml"` mode's activation.
 *
 * @example
 * ```ts
 * Array.from(ffnActivationRowsGgml(new Float32Array(16).fill(1), new Float32Array(16).fill(2), "silu", 16)).slice(0, 1); // [1.462117075920105]
 * ```
 */
export function ffnActivationRowsGgml(gate: Float32Array, up: Float32Array, act: HiddenActivation, F: number, out: Float32Array = new Float32Array(gate.length)): Float32Array {
  const n = gate.length;
  if (up.length !== n || out.length !== n) throw new BitNetError(`ffnActivationRowsGgml: gate, up and out must have one length, got ${n}, ${up.length} and ${out.length}`);
  if (!Number.isInteger(F) || F <= 0 || n % F !== 0) throw new BitNetError(`ffnActivationRowsGgml: ${n} values are not rows of ${F}`);
  if (act !== "silu") return ffnActivationRows(gate, up, act, out);
  const lanes = F - (F % 16);
  for (let o = 0; o < n; o += F) {
    for (let i = o; i < o + lanes; i++) out[i] = siluF32Ggml(gate[i]) * up[i];
    for (let i = o + lanes; i < o + F; i++) {
      const g = gate[i];
      out[i] = f32(g / f32(1 + f32(Math.exp(-g)))) * up[i];
    }
  }
  return out;
}
