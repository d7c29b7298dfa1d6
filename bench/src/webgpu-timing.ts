// Shared timing for the WebGPU benchmarks: GPU time of N dispatches recorded
// into one submission (timestamp queries where the device has them, else wall
// time to onSubmittedWorkDone), and CPU time of N synchronous calls.
import type { WebGPUBackend } from "@bitnet-quantize/backend-webgpu";

/** Milliseconds per call and how they were measured. */
export interface Timing {
  readonly ms: number;
  readonly reps: number;
  readonly source: string;
}

/**
 * Times `op` (which records backend work) on the GPU: one warm-up (shader
 * compile), then `reps` calls in one submission, repeated while under `budgetMs`.
 *
 * @example
 * ```ts
 * const t = await timeGpu(gpu, () => gpu.matmul(a, b), 10); // t.ms per matmul
 * ```
 */
export async function timeGpu(gpu: WebGPUBackend, op: () => { dispose(): void } | void, reps: number): Promise<Timing> {
  await gpu.timeGpu(() => {
    op();
  });
  const t = await gpu.timeGpu(() => {
    for (let i = 0; i < reps; i++) {
      const out = op();
      if (out !== undefined) out.dispose();
    }
  });
  return { ms: t.ms / reps, reps, source: `${t.source}, ${t.submissions} submission(s)` };
}

/**
 * Times a synchronous CPU call: one warm-up, then `reps` calls.
 *
 * @example
 * ```ts
 * const t = timeCpu(() => matmul(a, b), 3);
 * ```
 */
export function timeCpu(op: () => void, reps: number): Timing {
  op();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) op();
  return { ms: (performance.now() - t0) / reps, reps, source: "wall" };
}
