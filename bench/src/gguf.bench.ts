// GGUF write and read of a ~100 MB model file in memory (target: each under one second), plus
// the codecs' throughput on the same data. `npm run bench -- gguf`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bench } from "tinybench";
import { arr, dequantize, parseGguf, str, u32, writeGguf, type GgufMetadataInput, type GgufTensorInput } from "@bitnet-quantize/gguf";
import { decodeTQ2_0, encodeF32, encodeTQ2_0 } from "@bitnet-quantize/gguf/codecs";


/** 24 F32 tensors of 4 MiB and 4 TQ2_0 tensors of 2048 x 2048 (1.1 MB each): ~105 MB. */
function model(): { metadata: GgufMetadataInput; tensors: GgufTensorInput[]; trits: Float32Array } {
  const f32 = Float32Array.from({ length: 1024 * 1024 }, (_, i) => Math.sin(i));
  const f32Bytes = encodeF32(f32);
  const trits = Float32Array.from({ length: 2048 * 2048 }, (_, i) => ((i * 2654435761) >>> 30) % 3 - 1);
  const tq = encodeTQ2_0(trits);
  const tensors: GgufTensorInput[] = [];
  for (let i = 0; i < 24; i++) tensors.push({ name: `blk.${i}.f32.weight`, shape: [1024, 1024], type: "F32", bytes: f32Bytes });
  for (let i = 0; i < 4; i++) tensors.push({ name: `blk.${i}.tq2.weight`, shape: [2048, 2048], type: "TQ2_0", bytes: tq });
  const vocab = Array.from({ length: 32000 }, (_, i) => `tok${i}`);
  return { metadata: { "general.architecture": str("bitnet"), "bitnet.block_count": u32(24), "tokenizer.ggml.tokens": arr("string", vocab) }, tensors, trits };
}

export async function run(): Promise<void> {
  const { trits, ...input } = model();
  const bytes = writeGguf(input);
  const sizeMB = bytes.length / 1e6;
  const f32Names = input.tensors.filter((t) => t.type === "F32").map((t) => t.name);
  const tqNames = input.tensors.filter((t) => t.type === "TQ2_0").map((t) => t.name);
  const tq = encodeTQ2_0(trits);
  const dir = mkdtempSync(join(tmpdir(), "bitnet-gguf-bench-"));
  const path = join(dir, "model.gguf");
  let sink = 0;

  const bench = new Bench({ time: 3000, iterations: 5, warmupIterations: 2 });
  bench
    .add(`write ${sizeMB.toFixed(0)} MB (writeGguf, encoded bytes)`, () => {
      sink += writeGguf(input).length;
    })
    .add(`read ${sizeMB.toFixed(0)} MB (parseGguf + dequantize every F32 tensor)`, () => {
      const file = parseGguf(bytes);
      for (const name of f32Names) sink += dequantize(file, bytes, name)[7];
    })
    .add("parse header only (32k-token vocab, 28 tensors)", () => {
      sink += parseGguf(bytes).tensors.length;
    })
    .add(`write ${sizeMB.toFixed(0)} MB to disk (writeGguf + writeFileSync)`, () => {
      writeFileSync(path, writeGguf(input));
    })
    .add("dequantize TQ2_0 4 x 4M weights (4 x 1.1 MB)", () => {
      const file = parseGguf(bytes);
      for (const name of tqNames) sink += dequantize(file, bytes, name)[3];
    })
    .add("encodeTQ2_0 4M weights", () => {
      sink += encodeTQ2_0(trits)[0];
    })
    .add("decodeTQ2_0 4M weights", () => {
      sink += decodeTQ2_0(tq, trits.length)[0];
    });

  try {
    await bench.run();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = bench.tasks.map((task) => {
    const r = task.result;
    if (r.state !== "completed") return { task: task.name, state: r.state };
    const median = r.latency.p50;
    const mb = /^(write|read) /.test(task.name) ? sizeMB : NaN;
    return {
      task: task.name,
      "median ms": Number(median.toFixed(1)),
      "min ms": Number(r.latency.min.toFixed(1)),
      "max ms": Number(r.latency.max.toFixed(1)),
      samples: r.latency.samplesCount,
      "MB/s": Number.isNaN(mb) ? "" : Number((mb / (median / 1000)).toFixed(0)),
      "< 1 s": median < 1000 ? "yes" : "NO",
    };
  });
  console.table(rows);
  if (sink === 0.5) console.log(""); // keeps the results observable
}
