// Brands: cross-copy type checks. A class is marked with a registered symbol,
// Symbol.for("@bitnet-quantize/<pkg>/<Type>"), holding its package and
// version; `instanceof` is replaced by a look-up of that symbol, so an object
// made by a second copy of a package (npm nests one when versions diverge) is
// recognised when the versions are compatible (same major; same minor before
// 1.0, as a caret range), and rejected with a BrandError naming both otherwise.
// Not a registry of types: nothing here runs at import time beyond marking.
import { TensorError } from "./errors.js";

/**
 * What a brand records on a class's prototype.
 *
 * @example
 * ```ts
 * const info: BrandInfo = { package: "@bitnet-quantize/autograd", type: "Var", version: "0.2.0" };
 * ```
 */
export interface BrandInfo {
  readonly package: string;
  readonly type: string;
  readonly version: string;
}

/**
 * An object made by a copy of a package whose version is incompatible with
 * the copy that received it: names both versions and what to do.
 *
 * @example
 * ```ts
 * try { VAR_BRAND.is(varFromOldCopy); } catch (e) { e instanceof BrandError; } // true: "... 0.1.0 ... 0.2.0 ..."
 * ```
 */
export class BrandError extends TensorError {}

/** Caret compatibility: same major, and same minor while the major is 0. */
function compatible(a: string, b: string): boolean {
  const [aMajor, aMinor] = a.split(".");
  const [bMajor, bMinor] = b.split(".");
  if (aMajor !== bMajor) return false;
  return aMajor !== "0" || aMinor === bMinor;
}

function isBrandInfo(x: unknown): x is BrandInfo {
  return typeof x === "object" && x !== null && typeof Reflect.get(x, "version") === "string" && typeof Reflect.get(x, "package") === "string";
}

const brandOfClass = new WeakMap<object, Brand>();

/**
 * A brand for one class of one package: `mark` it once after the class
 * declaration, then `is(x)` recognises instances from any compatible copy.
 * Classes that call {@link Brand.hasInstance} from `static [Symbol.hasInstance]`
 * make `instanceof` itself work across copies.
 *
 * @example
 * ```ts
 * const FOO_BRAND = new Brand("@my/pkg", "Foo", "1.2.0");
 * class Foo { static [Symbol.hasInstance](x: unknown): boolean { return Brand.hasInstance(this, x); } }
 * FOO_BRAND.mark(Foo);
 * FOO_BRAND.is(new Foo()); // true
 * ```
 */
export class Brand {
  /** `Symbol.for("<package>/<type>")`. */
  readonly symbol: symbol;
  readonly #info: BrandInfo;
  readonly #compatibleVersions = new Set<string>();

  /**
   * A brand for `type` of `pkg` at `version`.
   *
   * @example
   * ```ts
   * new Brand("@bitnet-quantize/tensor", "Tensor", "0.2.0").symbol.description; // "@bitnet-quantize/tensor/Tensor"
   * ```
   */
  constructor(pkg: string, type: string, version: string) {
    this.symbol = Symbol.for(`${pkg}/${type}`);
    this.#info = Object.freeze({ package: pkg, type, version });
    this.#compatibleVersions.add(version);
  }

  /** The package, type and version this brand records. @example `brand.info.version; // "0.2.0"` */
  get info(): BrandInfo {
    return this.#info;
  }

  /**
   * Marks `cls`: its instances, and those of its subclasses, carry the brand.
   *
   * @example
   * ```ts
   * FOO_BRAND.mark(Foo);
   * ```
   */
  mark(cls: abstract new (...args: never[]) => unknown): void {
    Object.defineProperty(cls.prototype, this.symbol, { value: this.#info, enumerable: false, writable: false, configurable: false });
    brandOfClass.set(cls, this);
  }

  /**
   * True when `x` carries this brand from a compatible copy; false when it
   * carries none; throws {@link BrandError} naming both versions when it comes
   * from an incompatible copy of the package.
   *
   * @example
   * ```ts
   * FOO_BRAND.is(new Foo()); // true
   * FOO_BRAND.is({}); // false
   * ```
   */
  is(x: unknown): boolean {
    if ((typeof x !== "object" && typeof x !== "function") || x === null) return false;
    const info: unknown = (x as { readonly [key: symbol]: unknown })[this.symbol];
    if (info === this.#info) return true;
    if (!isBrandInfo(info)) return false;
    if (this.#compatibleVersions.has(info.version)) return true;
    const mine = this.#info;
    if (!compatible(info.version, mine.version)) {
      throw new BrandError(
        `${mine.type}: got a ${info.type} from ${info.package} ${info.version}, but this copy of ${mine.package} is ${mine.version}; ` +
          `two incompatible copies are installed (see \`npm ls ${mine.package}\`): install one version that satisfies every package's peer range`,
      );
    }
    this.#compatibleVersions.add(info.version);
    return true;
  }

  /**
   * What a marked class's `static [Symbol.hasInstance]` returns: the brand
   * check for a class marked with a brand, the ordinary prototype-chain check
   * for any other class (its unmarked subclasses).
   *
   * @example
   * ```ts
   * Brand.hasInstance(Foo, new Foo()); // true
   * ```
   */
  static hasInstance(cls: object, x: unknown): boolean {
    const brand = brandOfClass.get(cls);
    if (brand !== undefined) return brand.is(x);
    return Function.prototype[Symbol.hasInstance].call(cls, x);
  }
}
