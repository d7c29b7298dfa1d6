// BitNetModel against a reference written here from the `bitnet` graph's
// definition: float64 loops, ternary weights by AbsMean computed here, and
// the same per-token int8 activation quantization (or none on both sides).
// Also: the KV-cached generate agrees with full recomputation.
import { describe, expect, it } from "vitest";
import { BitNetModel, type BitNetModelConfigInput, resolveModelConfig } from "@bitnet-quantize/bitnet";
import { ConfigError } from "@bitnet-quantize/bitnet";
import { noGrad } from "@bitnet-quantize/autograd";
import { randn, tensor } from "@bitnet-quantize/tensor";

type Mat = { rows: number; cols: number; w: Float64Array };

function rne(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** AbsMean ternary, per tensor: t·s with s = max(mean|W|, 1e-5). */
function ternary(w: Float32Array, rows: number, cols: number): Mat {
  let s = 0;
  for (const v of w) s += Math.abs(v);
  s = Math.max(s / w.length, 1e-5);
  s = Math.fround(s); // the scale is stored in the weight's dtype
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = Math.max(-1, Math.min(1, rne(w[i] / s))) * s;
  return { rows, cols, w: out };
}

/** y = W·q(x) per row of x, with q the per-token int8 fake quantization (or identity). */
function project(x: Float64Array[], m: Mat, quant: boolean): Float64Array[] {
  return x.map((row) => {
    let xin = row;
    if (quant) {
      let amax = 0;
      for (const v of row) amax = Math.max(amax, Math.abs(v));
      const sx = 127 / Math.max(amax, 1e-5);
      xin = row.map((v) => Math.max(-128, Math.min(127, rne(v * sx))) / sx);
    }
    const y = new Float64Array(m.rows);
    for (let o = 0; o < m.rows; o++) {
      let s = 0;
      for (let i = 0; i < m.cols; i++) s += m.w[o * m.cols + i] * xin[i];
      y[o] = s;
    }
    return y;
  });
}

function rms(x: Float64Array[], w: Float32Array, eps: number): Float64Array[] {
  return x.map((row) => {
    let ss = 0;
    for (const v of row) ss += v * v;
    const r = 1 / Math.sqrt(ss / row.length + eps);
    return row.map((v, i) => v * r * w[i]);
  });
}

/** The whole model in float64 from its state dict. Returns logits [T][V]. */
function reference(model: BitNetModel, ids: number[], quant: boolean): Float64Array[] {
  const c = model.config;
  const sd = model.stateDict();
  const get = (n: string): Float32Array => Float32Array.from((sd.get(n) ?? (() => { throw new Error(n); })()).contiguous().dataSync());
  const D = c.dim / c.heads;
  const G = c.heads / c.kvHeads;
  const E = get("embed_tokens.weight");
  let x = ids.map((id) => Float64Array.from(E.subarray(id * c.dim, (id + 1) * c.dim)));
  const T = ids.length;
  const rope = (v: Float64Array[], nHeads: number): Float64Array[] =>
    v.map((row, pos) => {
      const out = Float64Array.from(row);
      for (let h = 0; h < nHeads; h++) {
        for (let i = 0; i < D / 2; i++) {
          const ang = pos * Math.pow(c.ropeTheta, (-2 * i) / D);
          const a = row[h * D + i];
          const b = row[h * D + i + D / 2];
          out[h * D + i] = a * Math.cos(ang) - b * Math.sin(ang);
          out[h * D + i + D / 2] = b * Math.cos(ang) + a * Math.sin(ang);
        }
      }
      return out;
    });
  for (let l = 0; l < c.layers; l++) {
    const p = `layers.${l}.`;
    const W = (n: string, rows: number, cols: number): Mat => ternary(get(p + n), rows, cols);
    const kv = c.kvHeads * D;
    const a = rms(x, get(`${p}input_layernorm.weight`), c.normEps);
    const q = rope(project(a, W("self_attn.q_proj.weight", c.dim, c.dim), quant), c.heads);
    const k = rope(project(a, W("self_attn.k_proj.weight", kv, c.dim), quant), c.kvHeads);
    const v = project(a, W("self_attn.v_proj.weight", kv, c.dim), quant);
    const att = q.map((qr, t) => {
      const out = new Float64Array(c.dim);
      for (let h = 0; h < c.heads; h++) {
        const kh = Math.floor(h / G);
        const sc: number[] = [];
        for (let s = 0; s <= t; s++) {
          let d = 0;
          for (let i = 0; i < D; i++) d += qr[h * D + i] * (k[s][kh * D + i]);
          sc.push(d / Math.sqrt(D));
        }
        const mx = Math.max(...sc);
        const e = sc.map((z) => Math.exp(z - mx));
        const sum = e.reduce((u, w) => u + w, 0);
        for (let s = 0; s <= t; s++) for (let i = 0; i < D; i++) out[h * D + i] = out[h * D + i] + (e[s] / sum) * (v[s][kh * D + i]);
      }
      return out;
    });
    const o = project(rms(att, get(`${p}self_attn.attn_sub_norm.weight`), c.normEps), W("self_attn.o_proj.weight", c.dim, c.dim), quant);
    x = x.map((row, t) => row.map((z, i) => z + (o[t][i])));
    const f = rms(x, get(`${p}post_attention_layernorm.weight`), c.normEps);
    const g = project(f, W("mlp.gate_proj.weight", c.ffnDim, c.dim), quant);
    const u = project(f, W("mlp.up_proj.weight", c.ffnDim, c.dim), quant);
    const hsw = g.map((gr, t) => gr.map((z, i) => (c.hiddenActivation === "silu" ? z / (1 + Math.exp(-z)) : Math.max(z, 0) ** 2) * (u[t][i])));
    const dn = project(rms(hsw, get(`${p}mlp.ffn_sub_norm.weight`), c.normEps), W("mlp.down_proj.weight", c.dim, c.ffnDim), quant);
    x = x.map((row, t) => row.map((z, i) => z + (dn[t][i])));
  }
  const h = rms(x, get("norm.weight"), c.normEps);
  expect(T).toBe(h.length);
  return h.map((row) => {
    const out = new Float64Array(c.vocabSize);
    for (let vv = 0; vv < c.vocabSize; vv++) {
      let s = 0;
      for (let i = 0; i < c.dim; i++) s += row[i] * E[vv * c.dim + i];
      out[vv] = s;
    }
    return out;
  });
}

/** A tiny model with every norm weight randomised (so a misplaced norm shows). */
function tinyModel(over: Partial<BitNetModelConfigInput> = {}, seed = 3): BitNetModel {
  const model = new BitNetModel({ vocabSize: 37, dim: 16, layers: 2, heads: 4, kvHeads: 2, ffnDim: 24, contextLength: 16, ...over }, { seed });
  noGrad(() => {
    let k = 0;
    for (const [name, p] of model.namedParameters()) {
      if (name.endsWith("norm.weight")) p.value = randn(p.shape, { seed: 100 + k++ }).mul(0.3).add(1);
    }
  });
  return model;
}

function maxDiff(a: ArrayLike<number>, ref: Float64Array[]): { diff: number; range: number } {
  let diff = 0;
  let lo = Infinity;
  let hi = -Infinity;
  const V = ref[0].length;
  ref.forEach((row, t) => row.forEach((r, v) => {
    diff = Math.max(diff, Math.abs(a[t * V + v] - r));
    lo = Math.min(lo, r);
    hi = Math.max(hi, r);
  }));
  return { diff, range: hi - lo };
}

const ids = [1, 5, 9, 2, 30, 7, 7, 11, 0, 36];

describe("BitNetModel matches a float64 reference of the bitnet graph", () => {
  for (const act of ["silu", "relu2"] as const) {
    it(`training forward (int8 activations, ternary weights), ${act}`, () => {
      const model = tinyModel({ hiddenActivation: act });
      const ref = reference(model, ids, true);
      const out = model.forward(tensor([ids], [1, ids.length], "int32")).value.dataSync();
      const { diff, range } = maxDiff(out, ref);
      expect(range).toBeGreaterThan(0.5);
      expect(diff).toBeLessThan(2e-3 * range);
    });
  }
  it("inference pass, int8 and float activations, with GQA (kvHeads 2 of 4) and without (4 of 4)", () => {
    for (const kvHeads of [2, 4, 1]) {
      const model = tinyModel({ kvHeads });
      for (const [mode, quant] of [["int8", true], ["float", false]] as const) {
        const ref = reference(model, ids, quant);
        const { diff, range } = maxDiff(model.logits(ids, mode), ref);
        expect(diff, `${mode} kvHeads ${kvHeads}`).toBeLessThan((quant ? 2e-3 : 1e-5) * range);
      }
    }
  });
  it("the training forward and the inference pass agree", () => {
    const model = tinyModel();
    const a = model.forward(tensor([ids], [1, ids.length], "int32")).value.dataSync();
    const b = model.logits(ids, "int8");
    let d = 0;
    for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
    expect(d).toBeLessThan(1e-4);
  });
  it("batches rows independently", () => {
    const model = tinyModel();
    const other = [3, 3, 4, 8, 9, 10, 12, 13, 14, 15];
    const both = model.forward(tensor([ids, other], [2, ids.length], "int32")).value.dataSync();
    const one = model.forward(tensor([other], [1, other.length], "int32")).value.dataSync();
    const n = one.length;
    for (let i = 0; i < n; i++) expect(both[n + i]).toBeCloseTo(one[i], 5);
  });
});

describe("generate", () => {
  it("greedy decoding with the KV cache equals recomputing the whole sequence each step", () => {
    const model = tinyModel({ contextLength: 16 });
    for (const mode of ["int8", "float"] as const) {
      const prompt = [1, 5, 9];
      const out = model.generate(prompt, { maxTokens: 8, activations: mode });
      expect(out).toHaveLength(8);
      const seq = [...prompt];
      for (const tok of out) {
        const all = model.logits(seq, mode);
        const V = model.config.vocabSize;
        const last = all.subarray((seq.length - 1) * V);
        let best = 0;
        for (let v = 1; v < V; v++) if (last[v] > last[best]) best = v;
        expect(tok).toBe(best);
        seq.push(tok);
      }
    }
  });
  it("sampling is seeded, respects topK = 1 as greedy, stops at eos and at the context length", () => {
    const model = tinyModel({ contextLength: 8 });
    const a = model.generate([1, 2], { maxTokens: 5, temperature: 1, seed: 4 });
    expect(model.generate([1, 2], { maxTokens: 5, temperature: 1, seed: 4 })).toEqual(a);
    expect(model.generate([1, 2], { maxTokens: 5, temperature: 0.7, topK: 1 })).toEqual(model.generate([1, 2], { maxTokens: 5 }));
    // 6 positions left after the prompt, plus the token predicted from the full context.
    expect(model.generate([1, 2], { maxTokens: 50 }).length).toBe(7);
    const first = model.generate([1, 2], { maxTokens: 1 })[0];
    expect(model.generate([1, 2], { maxTokens: 5, eosId: first })).toEqual([first]);
  });
});

describe("config", () => {
  it("fills defaults and rejects bad shapes with ConfigError", () => {
    expect(resolveModelConfig({ vocabSize: 300, dim: 256, layers: 1, heads: 4 }).ffnDim).toBe(768);
    expect(() => resolveModelConfig({ vocabSize: 300, dim: 250, layers: 1, heads: 4 })).toThrow(ConfigError);
    expect(() => resolveModelConfig({ vocabSize: 300, dim: 256, layers: 1, heads: 4, kvHeads: 3 })).toThrow(/kvHeads/);
    expect(() => resolveModelConfig({ vocabSize: 0, dim: 256, layers: 1, heads: 4 })).toThrow(/vocabSize/);
  });
  it("names parameters as Hugging Face does", () => {
    const names = tinyModel({ layers: 1 }).namedParameters().map(([n]) => n);
    expect(names).toContain("embed_tokens.weight");
    expect(names).toContain("layers.0.self_attn.q_proj.weight");
    expect(names).toContain("layers.0.self_attn.attn_sub_norm.weight");
    expect(names).toContain("layers.0.mlp.gate_proj.weight");
    expect(names).toContain("layers.0.mlp.ffn_sub_norm.weight");
    expect(names).toContain("norm.weight");
    expect(names.filter((n) => n.endsWith("_proj.weight"))).toHaveLength(7);
  });
});

describe("activation modes", () => {
  it('"q8_K" (llama.cpp\'s TQ path) stays close to float activations and needs 256-multiple rows', () => {
    const model = new BitNetModel({ vocabSize: 37, dim: 256, layers: 1, heads: 4, kvHeads: 2, ffnDim: 256, contextLength: 16 }, { seed: 4 });
    const ref = reference(model, ids, false);
    const { diff, range } = maxDiff(model.logits(ids, "q8_K"), ref);
    expect(diff).toBeGreaterThan(0); // it does quantize
    expect(diff).toBeLessThan(0.02 * range);
    expect(() => tinyModel().logits(ids, "q8_K")).toThrow(/multiples of 256/);
  });
});
