// Buffers: tensors a module keeps that are state but not trained (running
// statistics, step counters, fixed tables), as PyTorch's register_buffer.
// Declared as a plain field holding `buffer(t)`; Module finds them like parameters.
import { Brand, type Tensor } from "@bitnet-quantize/tensor";
import { VERSION } from "../version.js";

const BUFFER_BRAND = new Brand("@bitnet-quantize/autograd", "ModuleBuffer", VERSION);

/**
 * A module's non-trainable tensor. Persistent buffers (the default) join
 * `stateDict()` and are restored by `loadStateDict()`; others are left out
 * (derived tables that the constructor rebuilds).
 *
 * @example
 * ```ts
 * class Counter extends Module {
 *   seen = buffer(zeros([1]));
 *   forward(x: Var): Var { this.seen.value = this.seen.value.add(1); return x; }
 * }
 * [...new Counter().stateDict().keys()]; // ["seen"]
 * ```
 */
export class ModuleBuffer {
  /** The current value; assign to update it (tensors are immutable). */
  value: Tensor;
  /** True when it is part of the state dict. */
  readonly persistent: boolean;

  constructor(value: Tensor, opts: { readonly persistent?: boolean } = {}) {
    this.value = value;
    this.persistent = opts.persistent ?? true;
  }

  /**
   * `instanceof ModuleBuffer` is a brand check (`Symbol.for("@bitnet-quantize/autograd/ModuleBuffer")`),
   * so buffers of modules made by a second compatible copy of @bitnet-quantize/autograd
   * are found too.
   *
   * @example
   * ```ts
   * buffer(zeros([1])) instanceof ModuleBuffer; // true
   * ```
   */
  static [Symbol.hasInstance](x: unknown): boolean {
    return Brand.hasInstance(this, x);
  }
}
BUFFER_BRAND.mark(ModuleBuffer);

/**
 * Makes a buffer to declare as a module field.
 *
 * @example
 * ```ts
 * class Norm extends Module<Var, Var> {
 *   runningMean = buffer(zeros([4]));
 *   table = buffer(ones([8]), { persistent: false }); // not saved
 *   forward(x: Var): Var { return x; }
 * }
 * new Norm().namedBuffers().map(([n]) => n); // ["runningMean", "table"]
 * ```
 */
export function buffer(value: Tensor, opts: { readonly persistent?: boolean } = {}): ModuleBuffer {
  return new ModuleBuffer(value, opts);
}
