// The bitnet subcommands end to end in process: train on a user's file
// (prompt from its first words, model name from its file name, paths as
// typed), generate streaming tokens, inspect of GGUF and safetensors files.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importGguf } from "@bitnet-quantize/bitnet/gguf";
import { saveHfDirectory } from "@bitnet-quantize/bitnet/hf/node";
import { generateCorpus } from "@bitnet-quantize/cli";
import { type CommandContext, runCli } from "@bitnet-quantize/cli/node";

const cwd = mkdtempSync(join(tmpdir(), "bitnet-commands-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const SMALL = ["--steps", "4", "--sample-every", "2", "--dim", "64", "--heads", "2", "--kv-heads", "1", "--ffn", "128", "--layers", "1", "--context", "24", "--batch", "2", "--type", "F16"];

async function run(argv: string[]): Promise<{ code: number; writes: string[]; out: string; err: string }> {
  const writes: string[] = [];
  let err = "";
  const ctx: CommandContext = { stdout: { write: (s: string) => void writes.push(s), isTTY: false }, stderr: { write: (s: string) => (err += s) }, cwd, program: "bitnet" };
  const code = await runCli(argv, ctx);
  return { code, writes, out: writes.join(""), err };
}

let trained: Awaited<ReturnType<typeof run>>;
beforeAll(async () => {
  mkdirSync(join(cwd, "texts"));
  writeFileSync(join(cwd, "texts", "my-stories.txt"), `Once upon a time there was a fox.\n${generateCorpus({ stories: 120, seed: 5 })}`);
  trained = await run(["train", "--data", "texts/my-stories.txt", "--out", "results", ...SMALL]);
});

describe("bitnet train --data", () => {
  it("samples from the first words of the text, shows paths as typed", () => {
    expect(trained.err).toBe("");
    expect(trained.code).toBe(0);
    expect(trained.out).toContain("corpus: texts/my-stories.txt, ");
    expect(trained.out).toMatch(/sample @2: "Once upon a time/);
    expect(trained.out).toContain("exported results/model.gguf (F16, ");
    expect(trained.out).toContain('llama-cli -m results/model.gguf -p "Once upon a time" -n 32');
    expect(trained.out).toContain("checkpoint: results/checkpoint.safetensors (step 4 of 4");
  });

  it("names the model after the file in general.name (bitnet inspect shows it)", async () => {
    const r = await run(["inspect", "results/model.gguf"]);
    expect(r.code).toBe(0);
    expect(r.out.startsWith("results/model.gguf\n")).toBe(true);
    expect(r.out).toMatch(/general\.name\s+string\s+"bitnet-quantize my-stories"/);
  });

  it("shows an absolute --out as absolute", async () => {
    const abs = join(cwd, "abs-out");
    const r = await run(["train", "--data", join(cwd, "texts", "my-stories.txt"), "--out", abs, ...SMALL, "--steps", "1"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`llama-cli -m ${abs}/model.gguf -p`);
  });
});

describe("bitnet generate", () => {
  it("streams the continuation in pieces and reports tokens/s", async () => {
    const r = await run(["generate", "-m", "results/model.gguf", "-p", "Once upon", "-n", "8"]);
    expect(r.code).toBe(0);
    expect(r.out.startsWith("Once upon")).toBe(true);
    expect(r.writes.length).toBeGreaterThan(2);
    expect(r.err).toMatch(/^\d+ tokens in [\d.]+ s \([\d.]+ tok\/s\)/);
  });
});

describe("bitnet inspect", () => {
  it("prints a checkpoint's metadata and tensor table", async () => {
    const r = await run(["inspect", "results/checkpoint.safetensors"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("format: bitnet-quantize-checkpoint/1");
    expect(r.out).toMatch(/model\.embed_tokens\.weight\s+F32\s+\[\d+, 64\]/);
    expect(r.out).toMatch(/optimizer\.norm\.weight\.m\s+F32\s+\[64\]/);
  });

  it("says which file is invalid, exit 1, one line", async () => {
    writeFileSync(join(cwd, "broken.gguf"), "not a gguf file at all");
    const r = await run(["inspect", "broken.gguf"]);
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/^bitnet inspect: broken\.gguf: invalid GGUF/);
  });
});

describe("bitnet convert", () => {
  it("converts a Hugging Face (1bitLLM layout) folder to a GGUF with the same logits", async () => {
    // trainable: the 1bitLLM layout stores float latent weights, which a packed (default) import does not have
    const { model, tokenizer } = importGguf(readFileSync(join(cwd, "results", "model.gguf")), { trainable: true });
    await expect(saveHfDirectory(join(cwd, "packed-only"), importGguf(readFileSync(join(cwd, "results", "model.gguf"))).model, tokenizer)).rejects.toThrow(/import with \{ trainable: true \}/);
    await saveHfDirectory(join(cwd, "hf"), model, tokenizer);
    const r = await run(["convert", "hf", "hf.gguf", "--type", "f32"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote hf\.gguf \(F32, \d+ KiB\)/);
    const back = importGguf(readFileSync(join(cwd, "hf.gguf")));
    const ids = tokenizer.encode("Once upon a time");
    expect(Array.from(back.model.logits(ids))).toEqual(Array.from(model.logits(ids)));
  });

  it("says what is missing in one line, exit 2", async () => {
    for (const [argv, message] of [
      [["convert"], /^bitnet convert: missing <hf-dir>/],
      [["convert", "hf"], /^bitnet convert: missing <out\.gguf>/],
      [["convert", "nowhere", "x.gguf"], /^bitnet convert: nowhere: no such folder/],
      [["convert", "texts", "x.gguf"], /^bitnet convert: texts: no config\.json in it/],
      [["convert", "hf", "x.gguf", "--type", "Q4_0"], /^bitnet convert: --type must be one of/],
    ] as const) {
      const r = await run([...argv]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    }
  });
});
