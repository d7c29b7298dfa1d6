// `bitnet generate -m model.gguf -p "..."`: loads a GGUF this library (or
// llama.cpp's converter) wrote and streams the continuation token by token,
// with tokens/s at the end. Node only (reads the file).
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { sampleToken } from "@bitnet-quantize/bitnet";
import { importGguf } from "@bitnet-quantize/bitnet/gguf";
import { Generator } from "@bitnet-quantize/tensor";
import type { CommandContext } from "./command-context.js";
import { type OptionSpec, UsageError, floatOption, intOption, parseCommand } from "./usage-error.js";

const OPTIONS = {
  model: { type: "string", short: "m" },
  prompt: { type: "string", short: "p" },
  tokens: { type: "string", short: "n" },
  temp: { type: "string" },
  "top-k": { type: "string" },
  seed: { type: "string" },
  help: { type: "boolean", short: "h" },
} satisfies OptionSpec;

const HELP = `Continue a prompt with a BitNet GGUF model, printing tokens as they are produced.

usage: bitnet generate -m model.gguf -p "one day tom saw" [options]

  -m, --model FILE   the GGUF file (written by bitnet train, or llama.cpp's bitnet converter)
  -p, --prompt TEXT  the text to continue
  -n, --tokens N     new tokens at most (default 32; stops earlier at end-of-text or the context length)
  --temp X           sampling temperature, 0 for greedy (default 0)
  --top-k N          sample among the N most likely tokens (default: all)
  --seed N           seed of the sampler (default 0)
  -h, --help         this text`;

/**
 * Runs `generate`; returns the exit code. Usage mistakes throw {@link UsageError}.
 *
 * @example
 * ```ts
 * await generateCommand(["-m", "out/model.gguf", "-p", "one day"], ctx); // prints the text, then "32 tokens in 0.4 s (80 tok/s)"
 * ```
 */
// eslint-disable-next-line @typescript-eslint/require-await -- commands are async by contract (run-cli awaits each); generating is synchronous
export async function generateCommand(args: readonly string[], ctx: CommandContext): Promise<number> {
  const { values: v, positionals } = parseCommand(args, OPTIONS, "bitnet generate", true);
  if (v.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (the prompt goes after -p, in quotes); see bitnet generate --help`);
  if (typeof v.model !== "string") throw new UsageError("missing -m FILE: which GGUF model to run (e.g. bitnet generate -m out/model.gguf -p \"one day\")");
  if (typeof v.prompt !== "string" || v.prompt === "") throw new UsageError(`missing -p TEXT: the prompt to continue (e.g. bitnet generate -m ${v.model} -p "one day")`);
  const maxTokens = intOption("tokens", v.tokens, 32, 1);
  const temperature = floatOption("temp", v.temp, 0, 0, true);
  const topK = intOption("top-k", v["top-k"], 0, 1);
  const seed = intOption("seed", v.seed, 0, 0, 2 ** 32 - 1);
  const path = resolve(ctx.cwd, v.model);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`-m ${v.model}: no such file (give a .gguf model, e.g. out/model.gguf from bitnet train)`);

  const { model, tokenizer } = importGguf(readFileSync(path));
  const prompt = tokenizer.encode(v.prompt);
  const inf = model.inference("int8");
  const cache = inf.newCache();
  if (prompt.length >= cache.capacity) throw new UsageError(`-p: the prompt has ${prompt.length} tokens; the model's context is ${cache.capacity}`);
  const gen = new Generator(seed);
  const V = model.config.vocabSize;
  const started = performance.now();
  const out: number[] = [];
  let printed = "";
  // Without BOS the detokenizer drops the prefix space, so decoding prompt + output starts with the prompt itself.
  const text = (): string => tokenizer.decode([...prompt.slice(1), ...out]);
  printed = text();
  ctx.stdout.write(printed);
  let logits = inf.forward(prompt, cache);
  while (out.length < maxTokens) {
    const next = sampleToken(logits, 0, V, topK > 0 ? { temperature, topK } : { temperature }, gen);
    out.push(next);
    // Print what the new token added; a piece that ends inside a UTF-8 character waits for the rest.
    const now = text();
    if (now.startsWith(printed) && !now.endsWith("\uFFFD")) {
      ctx.stdout.write(now.slice(printed.length));
      printed = now;
    }
    if (next === tokenizer.eosId || cache.remaining === 0) break;
    logits = inf.forward([next], cache);
  }
  const now = text();
  if (now !== printed) ctx.stdout.write(now.startsWith(printed) ? now.slice(printed.length) : `\n${now}`);
  const secs = (performance.now() - started) / 1000;
  ctx.stdout.write("\n");
  ctx.stderr.write(`${out.length} tokens in ${secs.toFixed(2)} s (${(out.length / secs).toFixed(1)} tok/s)${out.at(-1) === tokenizer.eosId ? ", stopped at end of text" : ""}\n`);
  return 0;
}
