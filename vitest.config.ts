// One vitest run over every package. Packages are resolved through the
// "@bitnet-quantize/source" export condition, so tests run against src/ without a build.
import { defineConfig } from "vitest/config";

const conditions = ["@bitnet-quantize/source", "import", "module", "node", "default"];
const packages = ["tensor", "autograd", "gguf", "safetensors", "bitnet", "backend-webgpu", "cli", "playground"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: { name, root: `packages/${name}`, include: ["test/**/*.test.ts"] },
      })),
      { extends: true as const, test: { name: "examples", root: "examples", include: ["test/**/*.test.ts"] } },
      { extends: true as const, test: { name: "docs", root: "docs", include: ["test/**/*.test.ts"] } },
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
