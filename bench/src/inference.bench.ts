// Inference on a real-size BitNet model: the large-shaped random TQ2_0 model
// (large-model.ts), loaded and run in fresh processes (inference-child.ts)
// with 1 and 2 threads, on WebGPU when an adapter exists, and, when
// LLAMA_CPP_BIN names a llama.cpp build directory (the folder holding
// llama-bench and llama-cli, e.g. llama.cpp/build/bin; a path to llama-cli
// or llama-bench itself also works), llama-bench on the same file with -t 1
// and -t 2, side by side, with the ratios. Reports load time, resident
// memory (before the import, after it with the file's bytes dropped and
// collected, after the run), prompt and decode tokens/s. The children run
// bundled by esbuild on plain node (bundle-child.ts): the resident memory a
// user of the built packages sees, without tsx's. Two activation modes: q8_K
// (llama.cpp's Q8_K blocks, one scale per 256 values: the same quantization
// as llama's TQ2_0 kernel) and int8 (BitNet b1.58's own per-token AbsMax,
// one scale per token: less work per product). With LLAMA_CPP_BIN, 3 rounds
// (BENCH_ROUNDS) each run ours then llama-bench for 1 thread, then for 2:
// the machine is shared and its speed drifts, so each ratio is taken within
// a round and the medians of the rounds are reported.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type BundledChild, bundleChild } from "./bundle-child.js";
import { LARGE, buildLargeModelFile } from "./large-model.js";

interface Ours {
  readonly threads: number;
  readonly where: string;
  readonly fileMiB: number;
  readonly loadMs: number;
  readonly loadCpuMs: number;
  /** Resident memory before the file is read, after the import (file dropped, GC settled), after the run. */
  readonly rssBeforeMiB: number;
  readonly rssLoadedMiB: number;
  readonly rssAfterMiB: number;
  /** Typed-array memory after the import: what the model holds. */
  readonly modelMiB: number;
  readonly q8_KPromptTokPerS?: number;
  readonly q8_KDecodeTokPerS?: number;
  readonly int8PromptTokPerS: number;
  readonly int8DecodeTokPerS: number;
  /** CPU time (all threads) per decoded token: comparable on a loaded machine. */
  readonly q8_KDecodeCpuMsPerTok?: number;
  readonly int8DecodeCpuMsPerTok: number;
  /** Garbage collections while decoding: major (mark-compact) ones, and the time of all of them. */
  readonly q8_KDecodeMajorGcs?: number;
  readonly q8_KDecodeGcMs?: number;
  readonly int8DecodeMajorGcs: number;
  readonly int8DecodeGcMs: number;
}

function ours(child: BundledChild, file: string, threads: number, where?: string): Ours | string {
  const args = ["--expose-gc", child.script, file, String(threads), ...(where !== undefined ? [where] : [])];
  try {
    const out = execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: (where === undefined ? 15 : 6) * 60_000 });
    const line = out.trim().split("\n").pop() ?? "";
    return JSON.parse(line) as Ours;
  } catch (e) {
    return e instanceof Error ? e.message.split("\n")[0] ?? "failed" : String(e);
  }
}

/**
 * llama-bench's pp and tg tokens/s for `threads`, and the CPU time per
 * generated token of a decode-only run (`-p 0 -n 16 -r 3`: 49 tokens with
 * the warm-up one), measured with /usr/bin/time when it exists.
 */
function llama(bin: string, file: string, threads: number): { pp: number; tg: number; cpuMsPerTok: number } | string {
  const dir = existsSync(bin) && statSync(bin).isDirectory() ? bin : dirname(bin);
  const exe = join(dir, "llama-bench");
  if (!existsSync(exe)) return `no llama-bench in ${dir}`;
  try {
    const out = execFileSync(exe, ["-m", file, "-t", String(threads), "-p", "32", "-n", "16", "-r", "3", "-o", "json"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const rows = JSON.parse(out) as { n_prompt: number; n_gen: number; avg_ts: number }[];
    const pp = rows.find((r) => r.n_prompt > 0)?.avg_ts ?? Number.NaN;
    const tg = rows.find((r) => r.n_gen > 0)?.avg_ts ?? Number.NaN;
    let cpuMsPerTok = Number.NaN;
    if (existsSync("/usr/bin/time")) {
      const timed = spawnSync("/usr/bin/time", ["-f", "CPU %U %S", exe, "-m", file, "-t", String(threads), "-p", "0", "-n", "16", "-r", "3"], { encoding: "utf8" });
      const m = /CPU ([\d.]+) ([\d.]+)/.exec(timed.stderr);
      if (m !== null) cpuMsPerTok = ((Number(m[1]) + Number(m[2])) * 1000) / 49;
    }
    return { pp, tg, cpuMsPerTok };
  } catch (e) {
    return e instanceof Error ? e.message.split("\n")[0] ?? "failed" : String(e);
  }
}

async function hasAdapter(): Promise<boolean> {
  try {
    const { create } = await import("webgpu");
    const gpu = create([]);
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

const f = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : "n/a");

/** The median of finite values (NaN when none). */
function median(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** One round: ours and llama-bench for one thread count, run back to back so that they share the machine's state. */
interface Round {
  readonly round: number;
  readonly threads: number;
  readonly ours: Ours | string;
  readonly llama?: { pp: number; tg: number; cpuMsPerTok: number } | string;
}

export async function run(): Promise<void> {
  const file = await buildLargeModelFile(join(tmpdir(), "bitnet-quantize-bench", `large-${LARGE.layers}x${LARGE.dim}-tq2_0.gguf`));
  const fileMiB = statSync(file).size / 2 ** 20;
  console.log(`model: ${file} (${f(fileMiB)} MiB; ${LARGE.layers} layers, dim ${LARGE.dim}, ffn ${LARGE.ffnDim}, ${LARGE.heads} heads, ${LARGE.kvHeads} kv heads)`);
  const bin = process.env["LLAMA_CPP_BIN"];
  // this machine is shared and its speed drifts: with llama.cpp, several rounds, each running ours and
  // llama-bench back to back for 1 then 2 threads; the ratios are taken within a round and their medians reported
  const rounds = Math.max(1, Math.floor(Number(process.env["BENCH_ROUNDS"] ?? (bin === undefined ? 1 : 3))) || 1);
  const child = await bundleChild("inference-child.ts");
  const runs: Round[] = [];
  let gpu: Ours | string | undefined;
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const threads of [1, 2]) {
        const o = ours(child, file, threads);
        runs.push({ round, threads, ours: o, ...(bin !== undefined ? { llama: llama(bin, file, threads) } : {}) });
      }
    }
    if (await hasAdapter()) gpu = ours(child, file, 1, "webgpu");
  } finally {
    child.dispose();
  }
  const name = (r: Round): string => `ours, ${r.threads === 1 ? "1 thread" : `${r.threads} threads`}${rounds > 1 ? ` (round ${r.round})` : ""}`;
  const rows: [string, Ours | string][] = runs.map((r) => [name(r), r.ours]);
  if (gpu !== undefined) rows.push(["ours, WebGPU", gpu]);
  console.log("\nRSS: resident memory of the child (plain node, the sources bundled by esbuild): before the import, after it (the file's bytes dropped and collected), after the run; x file = over the file's size; model = the typed arrays the imported model holds (JavaScript buffers and the blocks in use in the kernels' wasm memory, where the CPU backend keeps packed weights).");
  console.log("\n| run | load ms (CPU ms) | RSS before MiB | RSS after import MiB (x file) | increase MiB (x file) | model MiB | RSS after run MiB | prompt tok/s q8_K | decode tok/s q8_K | prompt tok/s int8 | decode tok/s int8 |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const [label, r] of rows) {
    if (typeof r === "string") console.log(`| ${label} | failed: ${r} |`);
    else {
      const up = r.rssLoadedMiB - r.rssBeforeMiB;
      console.log(`| ${label} | ${f(r.loadMs, 0)} (${f(r.loadCpuMs, 0)}) | ${f(r.rssBeforeMiB, 0)} | ${f(r.rssLoadedMiB, 0)} (${f(r.rssLoadedMiB / fileMiB, 2)}) | ${f(up, 0)} (${f(up / fileMiB, 2)}) | ${f(r.modelMiB, 0)} | ${f(r.rssAfterMiB, 0)} | ${f(r.q8_KPromptTokPerS ?? Number.NaN, 2)} | ${f(r.q8_KDecodeTokPerS ?? Number.NaN, 2)} | ${f(r.int8PromptTokPerS, 2)} | ${f(r.int8DecodeTokPerS, 2)} |`);
    }
  }
  console.log("\nGarbage collection while decoding the 16 tokens: major (mark-compact) collections, and milliseconds in all collections.");
  console.log("\n| run | major GCs q8_K | GC ms q8_K | major GCs int8 | GC ms int8 |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const [label, r] of rows) {
    if (typeof r !== "string") console.log(`| ${label} | ${r.q8_KDecodeMajorGcs ?? "n/a"} | ${f(r.q8_KDecodeGcMs ?? Number.NaN, 1)} | ${r.int8DecodeMajorGcs} | ${f(r.int8DecodeGcMs, 1)} |`);
  }
  // 2 threads over 1 thread, within each round
  const scaling = { q8_K: [] as number[], int8: [] as number[] };
  for (let round = 1; round <= rounds; round++) {
    const one = runs.find((r) => r.round === round && r.threads === 1)?.ours;
    const two = runs.find((r) => r.round === round && r.threads === 2)?.ours;
    if (one === undefined || two === undefined || typeof one === "string" || typeof two === "string") continue;
    scaling.q8_K.push((two.q8_KDecodeTokPerS ?? Number.NaN) / (one.q8_KDecodeTokPerS ?? Number.NaN));
    scaling.int8.push(two.int8DecodeTokPerS / one.int8DecodeTokPerS);
  }
  const each = (v: number[]): string => (v.length > 1 ? ` (rounds: ${v.map((x) => f(x, 2)).join(", ")})` : "");
  console.log(`\n2 threads / 1 thread, decode${rounds > 1 ? ", median of the rounds" : ""}: q8_K ${f(median(scaling.q8_K), 2)}x${each(scaling.q8_K)}, int8 ${f(median(scaling.int8), 2)}x${each(scaling.int8)}`);
  if (bin === undefined) {
    console.log("\nllama.cpp: set LLAMA_CPP_BIN to a llama.cpp build's bin directory (holding llama-bench) to compare on the same file.");
    return;
  }
  console.log(`\nllama.cpp (llama-bench -p 32 -n 16 -r 3), run right after ours with the same thread count${rounds > 1 ? `, ${rounds} rounds` : ""}:`);
  console.log("\n| llama.cpp | prompt tok/s | decode tok/s | ours q8_K decode / llama decode (wall) | ours int8 decode / llama decode (wall) | CPU ms per decoded token: llama / ours q8_K / ours int8 | ours q8_K / llama (per CPU time) |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  const ratios = new Map<number, { q8_K: number[]; int8: number[] }>([[1, { q8_K: [], int8: [] }], [2, { q8_K: [], int8: [] }]]);
  for (const r of runs) {
    const l = r.llama;
    const o = r.ours;
    const label = `-t ${r.threads}${rounds > 1 ? ` (round ${r.round})` : ""}`;
    if (l === undefined || typeof l === "string" || typeof o === "string") {
      console.log(`| ${label} | failed: ${typeof l === "string" ? l : "our run failed"} |`);
      continue;
    }
    const q = (o.q8_KDecodeTokPerS ?? Number.NaN) / l.tg;
    const i = o.int8DecodeTokPerS / l.tg;
    ratios.get(r.threads)?.q8_K.push(q);
    ratios.get(r.threads)?.int8.push(i);
    const oq = o.q8_KDecodeCpuMsPerTok ?? Number.NaN;
    console.log(`| ${label} | ${f(l.pp, 2)} | ${f(l.tg, 2)} | 1/${f(1 / q, 2)} | 1/${f(1 / i, 2)} | ${f(l.cpuMsPerTok, 0)} / ${f(oq, 0)} / ${f(o.int8DecodeCpuMsPerTok, 0)} | 1/${f(oq / l.cpuMsPerTok, 1)} |`);
  }
  if (rounds > 1) {
    for (const [t, v] of ratios) {
      console.log(`| -t ${t}, median of the rounds' ratios | | | 1/${f(1 / median(v.q8_K), 2)} | 1/${f(1 / median(v.int8), 2)} | | |`);
    }
  }
  // llama.cpp's own 2 threads over 1 thread, within each round: what this machine gives a native engine
  const llamaScaling: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const one = runs.find((r) => r.round === round && r.threads === 1)?.llama;
    const two = runs.find((r) => r.round === round && r.threads === 2)?.llama;
    if (one !== undefined && two !== undefined && typeof one !== "string" && typeof two !== "string") llamaScaling.push(two.tg / one.tg);
  }
  if (llamaScaling.length > 0) console.log(`\nllama.cpp 2 threads / 1 thread, decode${rounds > 1 ? ", median of the rounds" : ""}: ${f(median(llamaScaling), 2)}x${each(llamaScaling)}`);
}
