// A `Draw` backed by the tensor package's seeded Generator: draws OPS cases
// without fast-check (for scripts, docs and quick checks).
import type { Generator } from "@bitnet-quantize/tensor";
import type { Draw } from "../draw.js";

/**
 * A {@link Draw} that takes its choices from a seeded generator.
 *
 * @example
 * ```ts
 * const d = generatorDraw(new Generator(7));
 * d.integer(0, 9); // the same digit on every run
 * ```
 */
export function generatorDraw(g: Generator): Draw {
  return {
    integer: (min, max) => g.nextInt(min, max + 1),
    float: (min, max) => min + (max - min) * g.nextFloat(),
  };
}
