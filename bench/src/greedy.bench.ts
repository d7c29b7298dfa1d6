// Greedy text against llama.cpp, token by token: on the large-shaped random
// TQ2_0 model (large-model.ts) and on the model `npm start` trains
// (start-model.ts), for each prompt our `generate` with llama.cpp's default
// numerics (q8_K activations, fp16 KV cache, the lm_head input as the
// file's token_embd type makes it: fp16 for F16, f32 for F32) in
// `arithmetic: "ggml"` (llama.cpp's CPU backend emulated bit for bit) and
// llama-cli's greedy run on the same file (llama-cli-greedy.ts), 32 tokens,
// one thread. Prints per prompt whether the prompt ids and the generated ids
// are identical, else the first differing token, and both continuations
// (JSON-escaped). Needs LLAMA_CPP_BIN (a llama.cpp build's bin folder, built
// outside this repository); without it, says so and does nothing.
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BitNetModel, InferenceOptions } from "@bitnet-quantize/bitnet";
import { parseGguf } from "@bitnet-quantize/gguf";
import { importGguf } from "@bitnet-quantize/bitnet/gguf";
import { llamaCliPath, llamaGreedy } from "./llama-cli-greedy.js";
import { LARGE, buildLargeModelFile } from "./large-model.js";
import { buildStartModelFile } from "./start-model.js";

const N = 32;
const LARGE_PROMPTS = ["Once upon a time", "One day the dog", "The cat liked to play", "The sun was warm", "They became friends", "The children laughed and ran"];
const START_PROMPTS = ["one day tom saw", "the little frog", "sara went to the", "lily had a red", "the big dog wanted", "max and the cat"];

const show = (s: string): string => JSON.stringify(s);

/** The first index where a and b differ (a prefix differs at its end), or -1 when equal. */
function firstDifference(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** llama.cpp's numerics for `file`, bit for bit: its lm_head rounds its input to fp16 only for an F16 token_embd. */
function optionsFor(bytes: Uint8Array): InferenceOptions {
  const embd = parseGguf(bytes).tensors.find((t) => t.name === "token_embd.weight");
  if (embd === undefined || (embd.type !== "F16" && embd.type !== "F32")) throw new Error(`greedy: token_embd.weight is ${embd?.type ?? "missing"}; "ggml" arithmetic emulates an F16 or F32 lm_head`);
  return { activations: "q8_K", kvCache: "f16", lmHeadInput: embd.type === "F16" ? "f16" : "f32", arithmetic: "ggml" };
}

/**
 * Our logits at step `at` of a generation (the prompt, then `ids[0..at)` fed
 * one by one, as `generate` does): how close our pick and llama.cpp's were.
 */
function logitsAt(model: BitNetModel, opts: InferenceOptions, promptIds: readonly number[], ids: readonly number[], at: number): Float32Array {
  const inf = model.inference(opts);
  const cache = inf.newCache();
  let logits = inf.forward(promptIds, cache);
  for (let i = 0; i < at; i++) logits = inf.forward([ids[i] ?? 0], cache);
  return logits;
}

/** Compares every prompt on `file`; returns how many were identical. */
function compare(cli: string, title: string, file: string, prompts: readonly string[]): number {
  console.log(`\n### ${title}\n\nfile: ${file}`);
  const bytes = readFileSync(file);
  const opts = optionsFor(bytes);
  console.log(`ours: importGguf, generate(encode(P), { maxTokens: ${N}, activations: "q8_K", kvCache: "f16", lmHeadInput: "${opts.lmHeadInput}" (token_embd's type), arithmetic: "ggml", eosId }) (llama.cpp's CPU arithmetic, bit for bit); where they differ, our logits of both picks at that step`);
  console.log(`llama.cpp: llama-cli -m FILE -p P -n ${N + 1} --temp 0 -no-cnv -t 1 --no-warmup -v (ids from its eval log)\n`);
  const { model, tokenizer } = importGguf(bytes);
  let same = 0;
  for (const p of prompts) {
    const promptIds = tokenizer.encode(p);
    const ours = model.generate(promptIds, { maxTokens: N, ...opts, eosId: tokenizer.eosId });
    const llama = llamaGreedy(cli, file, p, N);
    // llama-cli stops at the end-of-sequence token without evaluating it: count it as its last token
    const theirs = llama.ids.length < N && ours.length > llama.ids.length ? [...llama.ids, tokenizer.eosId] : [...llama.ids];
    const promptAt = firstDifference(promptIds, llama.promptIds);
    const at = firstDifference(ours, theirs);
    if (promptAt !== -1) console.log(`prompt ${show(p)}: PROMPT TOKENS DIFFER at ${promptAt}: ours [${promptIds.join(", ")}], llama.cpp [${llama.promptIds.join(", ")}]`);
    else if (at === -1) {
      same++;
      console.log(`prompt ${show(p)}: IDENTICAL (${ours.length} tokens)`);
    } else {
      const tok = (ids: readonly number[]): string => (at < ids.length ? `${ids[at]} ${show(tokenizer.idToToken(ids[at] ?? 0))}` : "none");
      console.log(`prompt ${show(p)}: DIFFERENT from token ${at} of ${Math.max(ours.length, theirs.length)} (ours ${tok(ours)}, llama.cpp ${tok(theirs)})`);
      const mine = ours[at];
      const other = theirs[at];
      if (mine !== undefined && other !== undefined) {
        const logits = logitsAt(model, opts, promptIds, ours, at);
        const sorted = Float32Array.from(logits).sort().reverse();
        console.log(`  our logits there: ours' pick ${(logits[mine] ?? Number.NaN).toFixed(4)}, llama.cpp's pick ${(logits[other] ?? Number.NaN).toFixed(4)} (rank ${sorted.indexOf(logits[other] ?? Number.NaN) + 1}), logits spread ${(sorted[0] ?? 0).toFixed(2)}..${(sorted[sorted.length - 1] ?? 0).toFixed(2)}`);
      }
    }
    console.log(`  ours:      ${show(tokenizer.decode(ours))}`);
    console.log(`  llama.cpp: ${show(tokenizer.decode(theirs))}`);
    console.log(`  llama-cli stdout (prompt echoed, ${N + 1} tokens): ${show(llama.stdout)}`);
    console.log(`  ids ours:      [${ours.join(", ")}]`);
    console.log(`  ids llama.cpp: [${theirs.join(", ")}]`);
  }
  console.log(`\n${same} of ${prompts.length} prompts identical`);
  return same;
}

export async function run(): Promise<void> {
  const bin = process.env["LLAMA_CPP_BIN"];
  if (bin === undefined) {
    console.log("greedy: set LLAMA_CPP_BIN to a llama.cpp build's bin directory (holding llama-cli, b4747 or later) to compare greedy text on the same files, e.g. LLAMA_CPP_BIN=/opt/llama/src/build/bin npm run bench -- greedy");
    return;
  }
  const cli = llamaCliPath(bin);
  const cache = join(tmpdir(), "bitnet-quantize-bench");
  const large = await buildLargeModelFile(join(cache, `large-${LARGE.layers}x${LARGE.dim}-tq2_0.gguf`));
  const t0 = Date.now();
  const start = await buildStartModelFile(join(cache, "npm-start-default"));
  const trained = Date.now() - t0;
  compare(cli, `large-shaped random model (${LARGE.layers} layers, dim ${LARGE.dim}, TQ2_0)`, large, LARGE_PROMPTS);
  compare(cli, `npm start model (bitnet train defaults${trained > 1000 ? `, trained now in ${(trained / 1000).toFixed(0)} s` : ", trained earlier"})`, start, START_PROMPTS);
}
