// A tiny llama.cpp `bitnet`-architecture model (its metadata keys and tensor names) built in code:
// n_embd 256, n_ff 512, 4 heads (2 KV heads), 2 layers, an SPM byte vocabulary of 259 tokens.
import { GgufBuilder, arr, bool, f32, str, u32, type GgufTensorValues } from "@bitnet-quantize/gguf";

export const N_EMBD = 256;
export const N_FF = 512;
export const N_HEAD = 4;
export const N_HEAD_KV = 2;
export const N_LAYER = 2;
export const HEAD_DIM = N_EMBD / N_HEAD;
export const N_EMBD_GQA = HEAD_DIM * N_HEAD_KV;
export const TOKENS = ["<unk>", "<s>", "</s>", ...Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`)];

/** mulberry32: a small seeded generator so the fixture is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TernaryWeight {
  readonly trits: Int8Array;
  readonly scale: number;
}

export interface BitnetFixture {
  readonly bytes: Uint8Array;
  /** Ternary projections: trits and the per-tensor scale s (values written as t * s). */
  readonly ternary: ReadonlyMap<string, TernaryWeight>;
  /** Float tensors as written. */
  readonly floats: ReadonlyMap<string, Float32Array>;
  /** Tensor name -> [shape (outermost first), type], in file order. */
  readonly table: readonly (readonly [string, readonly number[], string])[];
}

export function buildBitnetModel(): BitnetFixture {
  const next = rng(1234);
  const ternary = new Map<string, TernaryWeight>();
  const floats = new Map<string, Float32Array>();
  const tensors: GgufTensorValues[] = [];

  const float = (name: string, shape: number[], type: "F32" | "F16", make: (i: number) => number): void => {
    const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => make(i));
    floats.set(name, values);
    tensors.push({ name, shape, type, values });
  };
  const projection = (name: string, rows: number, cols: number, type: "TQ1_0" | "TQ2_0"): void => {
    const trits = Int8Array.from({ length: rows * cols }, () => Math.floor(next() * 3) - 1);
    const scale = Math.fround(0.01 + next() * 0.05);
    ternary.set(name, { trits, scale });
    tensors.push({ name, shape: [rows, cols], type, values: Float32Array.from(trits, (t) => t * scale) });
  };

  // token_embd: ne [n_embd, n_vocab], so shape [n_vocab, n_embd]; F16 as the converter writes it.
  float("token_embd.weight", [TOKENS.length, N_EMBD], "F16", () => (next() - 0.5) * 0.2);
  float("output_norm.weight", [N_EMBD], "F32", () => 1 + (next() - 0.5) * 0.1);
  for (let l = 0; l < N_LAYER; l++) {
    const p = `blk.${l}.`;
    float(`${p}attn_norm.weight`, [N_EMBD], "F32", () => 1);
    // PyTorch Linear (out, in) = shape [out, in], ne [in, out]: rows of length in (a multiple of 256).
    projection(`${p}attn_q.weight`, N_EMBD, N_EMBD, "TQ2_0");
    projection(`${p}attn_k.weight`, N_EMBD_GQA, N_EMBD, "TQ1_0");
    projection(`${p}attn_v.weight`, N_EMBD_GQA, N_EMBD, "TQ2_0");
    projection(`${p}attn_output.weight`, N_EMBD, N_EMBD, "TQ1_0");
    float(`${p}attn_sub_norm.weight`, [N_EMBD], "F32", () => 1);
    float(`${p}ffn_norm.weight`, [N_EMBD], "F32", () => 1);
    projection(`${p}ffn_gate.weight`, N_FF, N_EMBD, "TQ2_0");
    projection(`${p}ffn_up.weight`, N_FF, N_EMBD, "TQ1_0");
    projection(`${p}ffn_down.weight`, N_EMBD, N_FF, "TQ2_0");
    float(`${p}ffn_sub_norm.weight`, [N_FF], "F32", () => 1);
  }

  const a = "bitnet";
  const builder = new GgufBuilder()
    .set("general.architecture", str(a))
    .set("general.name", str("tiny-bitnet"))
    .set("general.file_type", u32(37)) // MOSTLY_TQ2_0
    .set("general.quantization_version", u32(2))
    .set(`${a}.vocab_size`, u32(TOKENS.length))
    .set(`${a}.context_length`, u32(512))
    .set(`${a}.embedding_length`, u32(N_EMBD))
    .set(`${a}.block_count`, u32(N_LAYER))
    .set(`${a}.feed_forward_length`, u32(N_FF))
    .set(`${a}.attention.head_count`, u32(N_HEAD))
    .set(`${a}.attention.head_count_kv`, u32(N_HEAD_KV))
    .set(`${a}.attention.layer_norm_rms_epsilon`, f32(1e-5))
    .set(`${a}.rope.dimension_count`, u32(HEAD_DIM))
    .set(`${a}.rope.freq_base`, f32(10000))
    .set(`${a}.rope.scaling.type`, str("linear"))
    .set(`${a}.rope.scaling.factor`, f32(1))
    .set("tokenizer.ggml.model", str("llama"))
    .set("tokenizer.ggml.tokens", arr("string", TOKENS))
    .set("tokenizer.ggml.scores", arr("f32", TOKENS.map((_, i) => -i)))
    .set("tokenizer.ggml.token_type", arr("i32", TOKENS.map((_, i) => (i === 0 ? 2 : i < 3 ? 3 : 6))))
    .set("tokenizer.ggml.bos_token_id", u32(1))
    .set("tokenizer.ggml.eos_token_id", u32(2))
    .set("tokenizer.ggml.unknown_token_id", u32(0))
    .set("tokenizer.ggml.add_bos_token", bool(true))
    .set("tokenizer.ggml.add_eos_token", bool(false));
  for (const t of tensors) builder.addTensor(t);
  return { bytes: builder.build(), ternary, floats, table: tensors.map((t) => [t.name, t.shape, t.type] as const) };
}
