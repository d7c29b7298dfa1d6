// The progress display with a fake terminal and a fake pipe: redraws in
// place on each update, lines above the bar, the terminal given back; plain
// lines without a terminal. Also formatDuration.
import { describe, expect, it } from "vitest";
import { ProgressDisplay, TERMINAL, formatDuration } from "@bitnet-quantize/cli/node";

function sink(isTTY: boolean, columns = 100): { writes: string[]; write(s: string): void; isTTY: boolean; columns: number } {
  const writes: string[] = [];
  return { writes, write: (s: string) => void writes.push(s), isTTY, columns };
}

const info = (step: number) => ({ step, loss: 6 - step / 10, tokensPerSecond: 1234.4, elapsed: step, eta: 10 - step });

describe("ProgressDisplay in a terminal", () => {
  it("redraws the bar on every update, prints log lines above it, and restores the terminal on stop", () => {
    const out = sink(true);
    const p = new ProgressDisplay(out, 10);
    expect(p.live).toBe(true);
    p.update(info(1));
    p.update(info(2));
    p.log("  sample @2: hello");
    p.update(info(3));
    p.stop();
    const screen = out.writes.join("");
    expect(out.writes[0]).toBe(TERMINAL.hideCursor + TERMINAL.wrapOff);
    expect(out.writes[1]).toBe(`${TERMINAL.clearLine}train [${"#".repeat(3)}${"-".repeat(27)}] 1/10 | loss 5.900 | 1,234 tok/s | 0:01 elapsed | ETA 0:09`);
    expect(screen).toContain(`${TERMINAL.clearLine}  sample @2: hello\ntrain [######`);
    expect(screen.match(/train \[[#-]+\] (\d+)\/10/g)?.map((s) => s.split("] ")[1])).toEqual(["1/10", "2/10", "2/10", "3/10"]);
    expect(screen.endsWith(`\n${TERMINAL.showCursor}${TERMINAL.wrapOn}`)).toBe(true);
    p.stop(); // twice is harmless
    expect(out.writes.join("")).toBe(screen);
  });

  it("fits the bar to the terminal width and shows the validation loss", () => {
    const out = sink(true, 60);
    const p = new ProgressDisplay(out, 100);
    const line = p.render({ ...info(50), valLoss: 2.5 });
    expect(line.length).toBeLessThanOrEqual(59);
    expect(line).toContain("50/100");
    expect(new ProgressDisplay(sink(true, 200), 100).render({ ...info(50), valLoss: 2.5 })).toContain("| val 2.500 |");
  });

  it("restoreTerminal shows the cursor and wraps again (what Ctrl-C calls)", () => {
    const out = sink(true);
    const p = new ProgressDisplay(out, 10);
    p.update(info(1));
    p.restoreTerminal();
    expect(out.writes.at(-1)).toBe(TERMINAL.showCursor + TERMINAL.wrapOn);
  });
});

describe("ProgressDisplay without a terminal", () => {
  it("prints plain lines at the first step, every N steps and the last; logs are plain lines; no escape codes", () => {
    const out = sink(false);
    const p = new ProgressDisplay(out, 25, { plainEvery: 10 });
    for (let s = 1; s <= 25; s++) {
      p.update(info(s));
      if (s === 5) p.log("  sample @5: x");
    }
    p.stop();
    const text = out.writes.join("");
    expect(text).not.toContain("\x1b");
    expect(text.split("\n").filter((l) => l !== "").map((l) => l.split("  ")[0])).toEqual(["step 1/25", "", "step 10/25", "step 20/25", "step 25/25"]);
    expect(text).toContain("  sample @5: x\n");
  });
});

describe("formatDuration", () => {
  it("writes m:ss and h:mm:ss", () => {
    expect([formatDuration(0), formatDuration(75), formatDuration(3725), formatDuration(Number.NaN)]).toEqual(["0:00", "1:15", "1:02:05", "-:--"]);
  });
});
