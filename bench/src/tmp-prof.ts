import { cpuBackend, setBackend } from "@bitnet-quantize/tensor";
import { DEFAULT_TRAIN_OPTIONS, trainLm } from "../../examples/src/train-lm.js";
const simd = process.argv[2] !== "js";
setBackend(cpuBackend({ simd }));
const lines: string[] = [];
await trainLm({ ...DEFAULT_TRAIN_OPTIONS, steps: Number(process.argv[3] ?? 10), sampleEvery: 0, progress: false, outDir: "/tmp/issue-11-wasm/out", cwd: process.cwd() }, (s: string) => lines.push(s));
console.log(simd ? "wasm" : "js", lines.filter((l) => l.includes("tok/s")).join(" | "));
