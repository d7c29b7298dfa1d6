// Usage mistakes: each prints one line saying what was wrong and how to fix
// it, exits with code 2, and never shows a stack trace. In process through
// runCli, and through real processes (the bitnet entry and npm start).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CommandContext, runCli } from "@bitnet-quantize/cli/node";

const root = resolve(import.meta.dirname, "../../..");
const cwd = mkdtempSync(join(tmpdir(), "bitnet-usage-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
writeFileSync(join(cwd, "empty.txt"), "\n");

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const ctx: CommandContext = { stdout: { write: (s: string) => (out += s), isTTY: false }, stderr: { write: (s: string) => (err += s) }, cwd, program: "bitnet" };
  const code = await runCli(argv, ctx);
  return { code, out, err };
}

const MISTAKES: [string, string[], RegExp][] = [
  ["missing data file", ["train", "--data", "missing.txt"], /^bitnet train: --data missing\.txt: no such file/],
  ["unknown option", ["train", "--stepz", "5"], /^bitnet train: unknown option --stepz \(did you mean --steps\?\)/],
  ["empty data file", ["train", "--data", "empty.txt"], /^bitnet train: --data empty\.txt: the file has no text/],
  ["--out is a file", ["train", "--out", "empty.txt"], /^bitnet train: --out empty\.txt: is a file, not a folder/],
  ["bad number", ["train", "--steps", "abc"], /^bitnet train: --steps must be a whole number, got "abc"/],
  ["bad learning rate", ["train", "--lr", "0"], /^bitnet train: --lr must be greater than 0, got 0/],
  ["bad type", ["train", "--type", "Q4_0"], /^bitnet train: --type must be one of TQ2_0, TQ1_0, F16, F32, got "Q4_0"/],
  ["bad size for TQ", ["train", "--dim", "320", "--heads", "4"], /^bitnet train: --dim 320 must be a multiple of 256 for --type TQ2_0 \(use --dim 256, or --type F16\)/],
  ["heads not dividing dim", ["train", "--heads", "3"], /^bitnet train: --dim 256 must be a multiple of --heads 3/],
  ["option without its value", ["train", "--steps"], /^bitnet train: --steps needs a value/],
  ["resume without a checkpoint", ["train", "--resume"], /^bitnet train: --resume: there is no checkpoint at out\/checkpoint\.safetensors/],
  ["recipe option with resume", ["train", "--resume", "--dim", "512"], /^bitnet train: --dim cannot be given with --resume/],
  ["stray argument", ["train", "story.txt"], /^bitnet train: unexpected argument "story\.txt"/],
  ["generate without a model", ["generate", "-p", "hi"], /^bitnet generate: missing -m FILE/],
  ["generate with a missing model", ["generate", "-m", "nope.gguf", "-p", "hi"], /^bitnet generate: -m nope\.gguf: no such file/],
  ["inspect without a file", ["inspect"], /^bitnet inspect: missing file/],
  ["inspect of an unknown file type", ["inspect", resolve(root, "package.json")], /^bitnet inspect: .*package\.json: unknown file type/],
  ["unknown command", ["frobnicate"], /^bitnet: unknown command "frobnicate"/],
];

describe("usage mistakes (in process)", () => {
  for (const [what, argv, message] of MISTAKES) {
    it(`${what}: one line, exit code 2, no stack trace`, async () => {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toMatch(message);
      expect(r.err.endsWith("\n")).toBe(true);
      expect(r.err.trimEnd().split("\n")).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
  }

  it("--help on every subcommand prints its usage and exits 0", async () => {
    for (const cmd of ["train", "generate", "inspect", "convert"]) {
      const r = await run([cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/usage: bitnet /);
      expect(r.err).toBe("");
    }
    expect((await run(["--help"])).out).toMatch(/train .*\n.*generate/);
  });
});

describe("usage mistakes (real processes)", () => {
  const node = (args: string[]) =>
    spawnSync(process.execPath, ["--conditions=@bitnet-quantize/source", "--import", "tsx", ...args], { cwd: root, encoding: "utf8", env: { ...process.env, INIT_CWD: cwd } });

  it("bitnet train --data /missing.txt: one line on stderr, exit 2", () => {
    const r = node(["packages/cli/src/bin.ts", "train", "--data", "/missing.txt"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("bitnet train: --data /missing.txt: no such file (give a UTF-8 text file to train on)\n");
  });

  it("npm start -- --stepz 5 names npm start in the message", () => {
    const r = node(["packages/cli/src/start.ts", "--stepz", "5"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("npm start: unknown option --stepz (did you mean --steps?); see npm start -- --help\n");
  });
});
