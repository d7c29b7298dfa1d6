// Sequential: applies its layers in order. Layers are stored as own
// properties "0", "1", ..., so names match PyTorch ("0.weight") and
// setSubmodule("1", m) replaces a layer in place.
import type { Var } from "../var.js";
import { Module } from "./module.js";

/** A module that maps a Var to a Var (what Sequential chains). */
export type Layer = Module<Var, Var>;

/**
 * Chains layers: `forward(x) = layers[n-1](...layers[0](x))`.
 *
 * @example
 * ```ts
 * const mlp = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
 * mlp.forward(param(zeros([64, 784]))).shape; // [64, 10]
 * [...mlp.stateDict().keys()]; // ["0.weight", "0.bias", "2.weight", "2.bias"]
 * ```
 */
export class Sequential extends Module {
  constructor(...layers: Layer[]) {
    super();
    layers.forEach((layer, i) => {
      Object.defineProperty(this, String(i), { value: layer, writable: true, enumerable: true, configurable: false });
    });
  }

  /** Number of layers. */
  get length(): number {
    return this.namedChildren().length;
  }

  /**
   * The layer at `index`.
   *
   * @example
   * ```ts
   * mlp.at(0) instanceof Linear; // true
   * ```
   */
  at(index: number): Layer {
    return this.getSubmodule(String(index < 0 ? index + this.length : index)) as Layer;
  }

  forward(x: Var): Var {
    let y = x;
    for (const [, layer] of this.namedChildren()) y = (layer as Layer).forward(y);
    return y;
  }
}
