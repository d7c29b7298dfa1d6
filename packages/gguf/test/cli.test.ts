// The bitnet-gguf CLI through runCli: text and JSON output, and its exit codes (1 bad file, 2 usage).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { arr, f32, str, u32, writeGguf } from "@bitnet-quantize/gguf";
import { runCli } from "@bitnet-quantize/gguf/node";

const dir = mkdtempSync(join(tmpdir(), "bitnet-gguf-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const path = join(dir, "tiny.gguf");
writeFileSync(
  path,
  writeGguf({
    metadata: {
      "general.architecture": str("bitnet"),
      "bitnet.block_count": u32(1),
      "bitnet.attention.layer_norm_rms_epsilon": f32(1e-5),
      "tokenizer.ggml.tokens": arr("string", Array.from({ length: 20 }, (_, i) => `t${i}`)),
    },
    tensors: [
      { name: "token_embd.weight", shape: [20, 256], type: "F16", values: new Float32Array(20 * 256) },
      { name: "blk.0.attn_q.weight", shape: [256, 256], type: "TQ2_0", values: new Float32Array(256 * 256) },
    ],
  }),
);

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("bitnet-gguf inspect", () => {
  it("prints the header, metadata with long arrays abbreviated, and the tensor table", async () => {
    const { code, out, err } = await run("inspect", path);
    expect([code, err]).toEqual([0, ""]);
    expect(out).toContain("GGUF v3, little-endian");
    expect(out).toMatch(/general\.architecture\s+string\s+"bitnet"/);
    expect(out).toMatch(/bitnet\.block_count\s+u32\s+1/);
    expect(out).toMatch(/tokenizer\.ggml\.tokens\s+string\[20\]\s+\["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", … 12 more\]/);
    expect(out).toMatch(/name\s+shape\s+type\s+size/);
    expect(out).toMatch(/token_embd\.weight\s+\[20, 256\]\s+F16\s+10\.0 KiB/);
    expect(out).toMatch(/blk\.0\.attn_q\.weight\s+\[256, 256\]\s+TQ2_0\s+16\.5 KiB/);
  });

  it("prints JSON with --json", async () => {
    const { code, out } = await run("inspect", path, "--json", "--max-items", "2");
    expect(code).toBe(0);
    const json = JSON.parse(out) as { version: number; metadata: Record<string, unknown>; tensors: unknown[] };
    expect(json.version).toBe(3);
    expect(json.metadata["tokenizer.ggml.tokens"]).toEqual({ type: "array", itemType: "string", length: 20, values: ["t0", "t1"], truncated: true });
    expect(json.tensors[1]).toEqual({ name: "blk.0.attn_q.weight", shape: [256, 256], ne: [256, 256], type: "TQ2_0", offset: 10240, byteLength: 16896 });
  });

  it("exits 1 with the byte offset for an invalid file, and 1 for a missing one", async () => {
    const bad = join(dir, "bad.gguf");
    writeFileSync(bad, new Uint8Array([0x47, 0x47, 0x55, 0x46, 9, 0, 0, 0]));
    expect(await run("inspect", bad)).toEqual({ code: 1, out: "", err: `bitnet-gguf: ${bad}: invalid GGUF at byte 4: unsupported version 9; versions 2 and 3 are supported` });
    const missing = await run("inspect", join(dir, "nope.gguf"));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("cannot read (ENOENT)");
  });

  it("exits 2 on usage errors", async () => {
    for (const argv of [[], ["frobnicate", path], ["inspect"], ["inspect", path, "extra"], ["inspect", path, "--nope"], ["inspect", path, "--max-items", "x"]]) {
      const r = await run(...argv);
      expect([argv, r.code, r.err.includes("usage: bitnet-gguf inspect")]).toEqual([argv, 2, true]);
    }
    expect((await run("--help")).code).toBe(0);
  });
});
