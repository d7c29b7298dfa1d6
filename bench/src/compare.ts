// A small layer over tinybench: run tasks side by side in one process and
// print medians with the ratio of each to a named baseline. Noisy machines
// make means meaningless; medians and ratios are what we quote.
import { Bench } from "tinybench";

/** One timed task. */
export interface CompareTask {
  readonly name: string;
  readonly fn: () => unknown;
}

/** Options: tinybench's time budget, iteration floor and the baseline task's name. */
export interface CompareOptions {
  readonly baseline?: string;
  readonly time?: number;
  readonly iterations?: number;
  readonly warmupIterations?: number;
  readonly warmupTime?: number;
}

/** A printed row: task name, median, min and p75 in ms, samples, ratio to the baseline. */
export interface CompareRow {
  readonly task: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly p75Ms: number;
  readonly samples: number;
  readonly ratio: number | undefined;
}

/**
 * Runs the tasks with tinybench and prints a table of medians; returns the rows.
 *
 * @example
 * ```ts
 * await compare("sum", [{ name: "loop", fn: () => loop() }, { name: "reduce", fn: () => red() }], { baseline: "loop" });
 * ```
 */
export async function compare(title: string, tasks: readonly CompareTask[], opts: CompareOptions = {}): Promise<CompareRow[]> {
  const bench = new Bench({
    name: title,
    time: opts.time ?? 1000,
    iterations: opts.iterations ?? 5,
    // enough warm-up for V8 to optimise every task's hot loops before timing
    warmupIterations: opts.warmupIterations ?? 5,
    warmupTime: opts.warmupTime ?? 300,
  });
  for (const t of tasks) bench.add(t.name, t.fn);
  await bench.run();
  const medians = new Map<string, number>();
  const rows: CompareRow[] = bench.tasks.map((task) => {
    const r = task.result;
    if (r.state !== "completed") throw new Error(`${title}: task ${task.name} ended ${r.state}${"error" in r ? `: ${String(r.error)}` : ""}`);
    medians.set(task.name, r.latency.p50);
    return { task: task.name, medianMs: r.latency.p50, minMs: r.latency.min, p75Ms: r.latency.p75, samples: r.latency.samplesCount, ratio: undefined };
  });
  const base = opts.baseline === undefined ? undefined : medians.get(opts.baseline);
  const withRatio = rows.map((row) => ({ ...row, ratio: base === undefined ? undefined : base / row.medianMs }));
  console.log(`### ${title}`);
  console.table(
    withRatio.map((r) => ({
      task: r.task,
      "median ms": Number(r.medianMs.toFixed(3)),
      "min-p75 ms": `${r.minMs.toFixed(3)}-${r.p75Ms.toFixed(3)}`,
      samples: r.samples,
      ...(base === undefined ? {} : { [`speedup vs ${opts.baseline}`]: Number((r.ratio ?? 0).toFixed(2)) }),
    })),
  );
  return withRatio;
}
