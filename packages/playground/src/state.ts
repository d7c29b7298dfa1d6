// What the page exposes on `globalThis.__playground` (read by the browser test).
import type { Point } from "./loss-chart.js";
import type { ProjectionStats } from "./session.js";

/**
 * What the page exposes for the browser test (and curious users) on `globalThis.__playground`.
 *
 * @example
 * ```ts
 * const s = (globalThis as { __playground?: PlaygroundState }).__playground;
 * s?.losses.at(-1)?.loss; // the latest training loss
 * ```
 */
export interface PlaygroundState {
  backend: "webgpu" | "cpu" | null;
  backendNote: string;
  step: number;
  losses: Point[];
  valLosses: Point[];
  projections: ProjectionStats[];
  sample: string;
  running: boolean;
  stoppedReason: string;
  exported: { size: number; warnings: string[] } | null;
  loaded: string;
  generated: string;
  errors: string[];
  tourReady: boolean;
}
