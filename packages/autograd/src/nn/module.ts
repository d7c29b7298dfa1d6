// Module: the base class of layers. Parameters and child modules are found
// by walking the instance's own properties (as PyTorch's __setattr__ records
// them), so a plain class field is enough to register one, and replacing a
// child by dotted name (setSubmodule) is what forward then uses.
import { Brand, type Tensor } from "@bitnet-quantize/tensor";
import { AutogradError, fmtShape } from "../errors.js";
import { Var } from "../var.js";
import { VERSION } from "../version.js";
import { ModuleBuffer } from "./buffer.js";

const MODULE_BRAND = new Brand("@bitnet-quantize/autograd", "Module", VERSION);

function isMap(x: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>): x is ReadonlyMap<string, Tensor> {
  return x instanceof Map;
}

/**
 * A module's own parameters, buffers and children as `[name, value]`, in declaration
 * order (arrays give `name.i`). A plain function over public properties, not a
 * private method, so that it also reads modules made by another copy of this package.
 */
function ownEntries(module: object): [string, Var | AnyModule | ModuleBuffer][] {
  const out: [string, Var | AnyModule | ModuleBuffer][] = [];
  const take = (name: string, value: unknown): void => {
    if (value instanceof Module || value instanceof ModuleBuffer || (value instanceof Var && value.isParameter)) out.push([name, value]);
  };
  for (const key of Object.keys(module)) {
    const value: unknown = Reflect.get(module, key);
    if (Array.isArray(value)) value.forEach((v: unknown, i) => take(`${key}.${i}`, v));
    else take(key, value);
  }
  return out;
}

/** Any module, whatever its forward takes and returns. */
export type AnyModule = Module<never, unknown>;

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Throw on missing or unexpected keys (default true); shapes are always checked. */
  readonly strict?: boolean;
}

/**
 * The base class of layers. Declare parameters (made with `param`) and child
 * modules as plain fields: they are found by walking the instance's own
 * properties in declaration order, also inside arrays (`layers.0.weight`).
 * Other fields (numbers, options, constant `Var`s) are ignored.
 *
 * @example
 * ```ts
 * class MLP extends Module {
 *   fc1 = new Linear(4, 8);
 *   fc2 = new Linear(8, 2);
 *   forward(x: Var): Var { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * const m = new MLP();
 * m.namedParameters().map(([n]) => n); // ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
 * m.setSubmodule("fc1", new Linear(4, 8)); // forward now uses the new layer
 * ```
 */
export abstract class Module<In = Var, Out = Var> {
  /**
   * `instanceof Module` is a brand check (`Symbol.for("@bitnet-quantize/autograd/Module")`;
   * subclasses marked with a brand of their own, such as `Linear`, check theirs,
   * unmarked subclasses the prototype chain), so modules from a second
   * compatible copy of @bitnet-quantize/autograd pass it, and one from an
   * incompatible copy throws a BrandError naming both versions.
   *
   * @example
   * ```ts
   * new Linear(2, 3) instanceof Module; // true
   * ```
   */
  static [Symbol.hasInstance](x: unknown): boolean {
    return Brand.hasInstance(this, x);
  }

  /** True in training mode (the default); `eval()` sets false everywhere below. */
  training = true;

  /** The layer's computation. */
  abstract forward(input: In): Out;

  /**
   * Direct children as `[name, module]`.
   *
   * @example
   * ```ts
   * new MLP().namedChildren().map(([n]) => n); // ["fc1", "fc2"]
   * ```
   */
  namedChildren(): [string, AnyModule][] {
    return ownEntries(this).filter((e): e is [string, AnyModule] => e[1] instanceof Module);
  }

  /** Direct children. @example `new MLP().children().length; // 2` */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /**
   * This module and every module below it, as `[dottedName, module]` (this one is `""`).
   * Walks iteratively, depth first, in declaration order.
   *
   * @example
   * ```ts
   * new MLP().namedModules().map(([n]) => n); // ["", "fc1", "fc2"]
   * ```
   */
  namedModules(prefix = ""): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const stack: [string, AnyModule][] = [[prefix, this]];
    while (stack.length > 0) {
      const [name, m] = stack.pop() as [string, AnyModule];
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([name, m]);
      const kids = m.namedChildren();
      for (let i = kids.length - 1; i >= 0; i--) {
        const [k, child] = kids[i];
        stack.push([name === "" ? k : `${name}.${k}`, child]);
      }
    }
    return out;
  }

  /** This module and every module below it. @example `new MLP().modules().length; // 3` */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Every parameter below this module with its dotted name; a parameter shared
   * by two modules is listed once (under its first name).
   *
   * @example
   * ```ts
   * new Linear(2, 3).namedParameters().map(([n, p]) => [n, p.shape]); // [["weight", [3, 2]], ["bias", [3]]]
   * ```
   */
  namedParameters(): [string, Var][] {
    const out: [string, Var][] = [];
    const seen = new Set<Var>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, v] of ownEntries(m)) {
        if (!(v instanceof Var) || seen.has(v)) continue;
        seen.add(v);
        out.push([prefix === "" ? name : `${prefix}.${name}`, v]);
      }
    }
    return out;
  }

  /**
   * Every buffer below this module with its dotted name (shared ones once).
   *
   * @example
   * ```ts
   * new Counter().namedBuffers().map(([n]) => n); // ["seen"]
   * ```
   */
  namedBuffers(): [string, ModuleBuffer][] {
    const out: [string, ModuleBuffer][] = [];
    const seen = new Set<ModuleBuffer>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, b] of ownEntries(m)) {
        if (!(b instanceof ModuleBuffer) || seen.has(b)) continue;
        seen.add(b);
        out.push([prefix === "" ? name : `${prefix}.${name}`, b]);
      }
    }
    return out;
  }

  /** Every parameter below this module. @example `new Linear(2, 3).parameters().length; // 2` */
  parameters(): Var[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Resolves a dotted path to the object holding its last part and that part's key. */
  #slot(path: string, op: string): { holder: object; key: string; value: unknown } {
    const parts = path.split(".");
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk starts at this module and moves down the path
    let holder: object = this;
    for (let i = 0; i < parts.length; i++) {
      const key = parts[i];
      if (!Object.hasOwn(holder, key)) throw new AutogradError(`${op}: "${path}" has no part "${key}" (at ${parts.slice(0, i).join(".") || "the root"})`);
      const value: unknown = Reflect.get(holder, key);
      if (i === parts.length - 1) return { holder, key, value };
      if (value instanceof Module || Array.isArray(value)) holder = value;
      else throw new AutogradError(`${op}: "${parts.slice(0, i + 1).join(".")}" is not a module`);
    }
    throw new AutogradError(`${op}: empty path`);
  }

  /**
   * The module at a dotted path (`""` is this module): `"encoder.layers.0.fc1"`.
   *
   * @example
   * ```ts
   * new MLP().getSubmodule("fc2") instanceof Linear; // true
   * ```
   */
  getSubmodule(path: string): AnyModule {
    if (path === "") return this;
    const { value } = this.#slot(path, "getSubmodule");
    if (!isModule(value)) throw new AutogradError(`getSubmodule: "${path}" is not a module`);
    return value;
  }

  /**
   * Replaces the module at a dotted path (which must hold a module already);
   * forward then uses the new one. This is how an adapter swaps `Linear`
   * layers for quantized ones.
   *
   * @example
   * ```ts
   * for (const [name, m] of model.namedModules()) if (m instanceof Linear) model.setSubmodule(name, new Linear(m.inFeatures, m.outFeatures));
   * ```
   */
  setSubmodule(path: string, module: AnyModule): void {
    if (path === "") throw new AutogradError("setSubmodule: cannot replace the root module");
    const { holder, key, value } = this.#slot(path, "setSubmodule");
    if (!(value instanceof Module)) throw new AutogradError(`setSubmodule: "${path}" does not hold a module`);
    Reflect.set(holder, key, module);
  }

  /**
   * The parameter at a dotted path.
   *
   * @example
   * ```ts
   * new MLP().getParameter("fc1.bias").shape; // [8]
   * ```
   */
  getParameter(path: string): Var {
    const { value } = this.#slot(path, "getParameter");
    if (!(value instanceof Var && value.isParameter)) throw new AutogradError(`getParameter: "${path}" is not a parameter`);
    return value;
  }

  /**
   * Sets training mode here and below (dropout is active only in training).
   *
   * @example
   * ```ts
   * model.train(false).training; // false
   * ```
   */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode, `train(false)`. @example `model.eval().training; // false` */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient. @example `model.zeroGrad(); model.parameters()[0]?.grad; // null` */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * The parameter values by dotted name, then the persistent buffers' (the
   * tensors themselves: they are immutable).
   *
   * @example
   * ```ts
   * [...new Linear(2, 3).stateDict().keys()]; // ["weight", "bias"]
   * ```
   */
  stateDict(): Map<string, Tensor> {
    const out = new Map(this.namedParameters().map(([n, p]) => [n, p.value]));
    for (const [n, b] of this.namedBuffers()) if (b.persistent) out.set(n, b.value);
    return out;
  }

  /**
   * Loads parameter and persistent buffer values by dotted name. Shapes must
   * match; values are cast to each parameter's (buffer's) dtype. With `strict` (default), missing and
   * unexpected keys are errors. Nothing is changed when anything is wrong.
   *
   * @example
   * ```ts
   * const copy = new Linear(2, 3);
   * copy.loadStateDict(original.stateDict()); // copy now computes what original does
   * ```
   */
  loadStateDict(state: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>, opts: LoadStateDictOptions = {}): void {
    const entries = new Map<string, Tensor>(isMap(state) ? state : Object.entries(state));
    // Parameters and persistent buffers alike: something holding a tensor under a name.
    const params = new Map<string, Var | ModuleBuffer>(this.namedParameters());
    for (const [n, b] of this.namedBuffers()) if (b.persistent) params.set(n, b);
    const problems: string[] = [];
    for (const [name, p] of params) {
      const t = entries.get(name);
      if (t === undefined) {
        if (opts.strict !== false) problems.push(`missing "${name}"`);
      } else if (t.ndim !== p.value.ndim || t.shape.some((d, i) => d !== p.value.shape[i])) {
        problems.push(`"${name}" has shape ${fmtShape(t.shape)}, the ${p instanceof Var ? "parameter" : "buffer"} ${fmtShape(p.value.shape)}`);
      }
    }
    if (opts.strict !== false) for (const name of entries.keys()) if (!params.has(name)) problems.push(`unexpected "${name}"`);
    if (problems.length > 0) throw new AutogradError(`loadStateDict: ${problems.join("; ")}`);
    for (const [name, p] of params) {
      const t = entries.get(name);
      if (t !== undefined) p.value = t.dtype === p.value.dtype ? t : t.cast(p.value.dtype);
    }
  }
}
MODULE_BRAND.mark(Module);

/** `instanceof Module`, narrowing to {@link AnyModule} (the bare check narrows to `Module<any, any>`). */
function isModule(x: unknown): x is AnyModule {
  return x instanceof Module;
}
