// `npm start` as a person sees it: under a pseudo-terminal (util-linux
// `script`), the bar moves during training and the samples appear between
// redraws; Ctrl-C typed into the terminal stops after the current step,
// gives the terminal back, and leaves a loadable GGUF and a checkpoint that
// --resume continues to exactly the numbers of an uninterrupted run.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importGguf } from "@bitnet-quantize/bitnet/gguf";
import { TERMINAL } from "@bitnet-quantize/cli/node";

const root = resolve(import.meta.dirname, "../../..");
const dir = mkdtempSync(join(tmpdir(), "bitnet-terminal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasScript = spawnSync("script", ["--version"]).status === 0;
/** A small model so each run takes a second or two. */
const SMALL = "--dim 64 --heads 2 --kv-heads 1 --ffn 128 --layers 1 --context 32 --batch 2 --type F16 --stories 300";

/** Runs a shell command under a pseudo-terminal 120 columns wide; `keys` are typed once `when` matches the screen. */
function underPty(command: string, keys?: { when: RegExp; text: string }): Promise<{ code: number | null; screen: string }> {
  return new Promise((done, fail) => {
    const child = spawn("script", ["-qfec", `stty cols 120 rows 40; ${command}`, "/dev/null"], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
    let screen = "";
    let typed = false;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (s: string) => {
      screen += s;
      if (keys !== undefined && !typed && keys.when.test(screen)) {
        typed = true;
        child.stdin.write(keys.text);
      }
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, screen }));
  });
}

/** The step counts of every bar drawn on the screen, in order. */
const barSteps = (screen: string, total: number): number[] => [...screen.matchAll(new RegExp(`train \\[[#-]+\\] (\\d+)/${total} \\|`, "g"))].map((m) => Number(m[1]));

describe.skipIf(!hasScript)("npm start under a pseudo-terminal", () => {
  it("--steps 20 --sample-every 5: the bar moves through the steps and all four samples show before the end", async () => {
    const out = join(dir, "live");
    const { code, screen } = await underPty(`npm start -- --steps 20 --sample-every 5 ${SMALL} --out ${out}`);
    expect(code).toBe(0);
    const steps = barSteps(screen, 20);
    expect(new Set(steps).size).toBeGreaterThanOrEqual(10);
    expect(steps.at(-1)).toBe(20);
    const end = screen.indexOf("loss: ");
    const at = (s: string): number => screen.indexOf(s);
    for (const s of ["sample @5: ", "sample @10: ", "sample @15: "]) {
      expect(at(s)).toBeGreaterThan(0);
      expect(at(s)).toBeLessThan(end);
    }
    expect(at("final sample (greedy): ")).toBeGreaterThan(end);
    // The bar is redrawn between the samples: steps 6..10 appear after sample @5 and before sample @10.
    const between = barSteps(screen.slice(at("sample @5: "), at("sample @10: ")), 20);
    expect(between).toEqual(expect.arrayContaining([6, 7, 8, 9, 10]));
    expect(screen).toContain("val @10: ");
    // The terminal is given back after the last redraw.
    expect(screen.lastIndexOf(TERMINAL.showCursor + TERMINAL.wrapOn)).toBeGreaterThan(screen.lastIndexOf(TERMINAL.hideCursor));
    const svg = readFileSync(join(out, "loss.svg"), "utf8");
    expect(svg).toContain("validation loss (held-out text)");
    expect(svg).toContain('class="val"');
    expect(readFileSync(join(out, "ternary.svg"), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });

  it("Ctrl-C stops after the step, restores the terminal, saves; --resume ends exactly where an uninterrupted run does", async () => {
    const recipe = `--steps 40 --sample-every 0 --eval-every 10 ${SMALL}`;
    const stopped = join(dir, "stopped");
    const { code, screen } = await underPty(`npm start -- ${recipe} --out ${stopped}`, { when: /train \[[#-]+\] 5\/40/, text: "\x03" });
    expect(code).toBe(130);
    const m = /stopped by Ctrl-C after step (\d+) of 40; continue with: npm start -- --resume --out (\S+)/.exec(screen);
    expect(m?.[2]).toBe(stopped);
    const step = Number(m?.[1]);
    expect(step).toBeGreaterThanOrEqual(5);
    expect(step).toBeLessThan(40);
    const afterCtrlC = screen.slice(screen.indexOf("Ctrl-C: stopping"));
    expect(screen.lastIndexOf(TERMINAL.showCursor + TERMINAL.wrapOn)).toBeGreaterThan(screen.lastIndexOf(TERMINAL.hideCursor));
    expect(afterCtrlC).toContain(`checkpoint: ${stopped}/checkpoint.safetensors (step ${step} of 40`);
    // The GGUF of what was trained so far loads and runs.
    const { model, tokenizer } = importGguf(readFileSync(join(stopped, "model.gguf")));
    expect(model.generate(tokenizer.encode("one day"), { maxTokens: 4 })).toHaveLength(4);

    const node = (args: string): void => {
      const r = spawnSync(process.execPath, ["--conditions=@bitnet-quantize/source", "--import", "tsx", "packages/cli/src/bin.ts", ...args.split(" ")], { cwd: root, encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      // Through a pipe: plain lines, no escape codes, nothing lost up to the last line.
      expect(r.stdout).not.toContain("\x1b");
      expect(r.stdout).toMatch(/step 40\/40 .*\n[\s\S]*\ndone in \d+ s\n$/);
    };
    node(`train --resume --out ${stopped}`);
    const straight = join(dir, "straight");
    node(`train ${recipe} --out ${straight}`);
    // Same recipe, same seed: the checkpoints (weights, moments, losses) and the GGUFs are byte for byte equal.
    expect(readFileSync(join(stopped, "checkpoint.safetensors")).equals(readFileSync(join(straight, "checkpoint.safetensors")))).toBe(true);
    expect(readFileSync(join(stopped, "model.gguf")).equals(readFileSync(join(straight, "model.gguf")))).toBe(true);
    expect(existsSync(join(stopped, "loss.svg"))).toBe(true);
  });
});
