// `npm run example -- <name> [options]` at the repository root: runs one
// example by name. Each example is a single file under examples/src.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const EXAMPLES: Readonly<Record<string, string>> = {
  quickstart: "bitnet-quickstart.ts",
  "tiny-lm": "tiny-lm.ts",
  "mlp-fashion-mnist": "mlp-fashion-mnist.ts",
  "qat-fashion-mnist": "qat-fashion-mnist.ts",
};

const [name, ...rest] = process.argv.slice(2);
const list = Object.entries(EXAMPLES).map(([n, f]) => `  ${n.padEnd(20)} examples/src/${f}`).join("\n");
if (name === undefined || name === "--help" || name === "-h") {
  process.stdout.write(`usage: npm run example -- <name> [options]   (options: npm run example -- <name> --help)\n\n${list}\n`);
  process.exitCode = name === undefined ? 2 : 0;
} else if (!Object.hasOwn(EXAMPLES, name)) {
  process.stderr.write(`npm run example: unknown example ${JSON.stringify(name)}; the examples are ${Object.keys(EXAMPLES).join(", ")}\n`);
  process.exitCode = 2;
} else {
  const file = fileURLToPath(new URL(EXAMPLES[name], import.meta.url));
  if (!existsSync(file)) throw new Error(`run-example: ${file} is missing`);
  // The example sees itself as the script that was run, with its own options.
  process.argv = [process.argv[0], file, ...rest];
  await import(pathToFileURL(file).href);
}
