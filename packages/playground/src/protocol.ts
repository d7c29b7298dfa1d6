// The messages between the page (main.ts) and the training worker (worker.ts).
import type { GgufWeightType } from "@bitnet-quantize/bitnet/gguf";
import type { ProjectionStats } from "./session.js";
import type { SizeName } from "./sizes.js";

/** Which backend the user asked for: `auto` tries WebGPU, then the CPU. */
export type BackendChoice = "auto" | "webgpu" | "cpu";

/** Page -> worker. */
export type ToWorker =
  | { readonly type: "start"; readonly text: string; readonly size: SizeName; readonly backend: BackendChoice; readonly maxSteps: number; readonly evalEvery: number; readonly prompt: string }
  | { readonly type: "stop" }
  | { readonly type: "continue"; readonly maxSteps: number }
  | { readonly type: "export"; readonly weightType: GgufWeightType }
  | { readonly type: "load"; readonly bytes: Uint8Array; readonly fileName: string }
  | { readonly type: "generate"; readonly prompt: string; readonly maxTokens: number; readonly temperature: number };

/** Worker -> page. */
export type FromWorker =
  | { readonly type: "ready"; readonly backend: "webgpu" | "cpu"; readonly adapter: string; readonly note: string; readonly parameters: number; readonly vocab: number; readonly trainTokens: number; readonly valTokens: number }
  | { readonly type: "step"; readonly step: number; readonly loss: number; readonly tokensPerSecond: number }
  | { readonly type: "eval"; readonly step: number; readonly valLoss: number; readonly projections: ProjectionStats[]; readonly sample: string }
  | { readonly type: "stopped"; readonly step: number; readonly reason: string }
  | { readonly type: "exported"; readonly bytes: Uint8Array; readonly warnings: string[]; readonly weightType: GgufWeightType }
  | { readonly type: "loaded"; readonly fileName: string; readonly summary: string }
  | { readonly type: "generated"; readonly text: string }
  | { readonly type: "error"; readonly message: string };
