// node --conditions=source --import tsx greedy.ts FILE N PROMPT...
import { readFileSync } from "node:fs";
import { importGguf } from "@bitnet-quantize/bitnet/gguf";
const [file, n, ...prompts] = process.argv.slice(2);
const { model, tokenizer } = importGguf(readFileSync(file!));
for (const p of prompts) {
  const ids = tokenizer.encode(p);
  const out = model.generate(ids, { maxTokens: Number(n), activations: "q8_K", kvCache: "f16" });
  console.log(JSON.stringify({ prompt: p, promptIds: ids, ids: out, text: tokenizer.decode(out) }));
}
