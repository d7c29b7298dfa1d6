// GgufBuilder: writes a GGUF file section by section (metadata, then tensors, then build).
// It checks each entry as it is added; the bytes come from writeGguf's layout.
import { GgufError } from "./errors.js";
import { DEFAULT_CAPS } from "./caps.js";
import type { GgufValue } from "./metadata.js";
import { assemble, checkMetadataEntry, prepareTensor, type GgufTensorInput, type PreparedTensor } from "./writer.js";
import { GGUF_DEFAULT_ALIGNMENT } from "./reader.js";

/**
 * Options for {@link GgufBuilder}.
 *
 * @example
 * ```ts
 * new GgufBuilder({ alignment: 64 });
 * ```
 */
export interface GgufBuilderOptions {
  /** Data alignment, a power of two (default 32; other values are written as general.alignment). */
  readonly alignment?: number;
  /** Write a big-endian file (default false); see GgufWriteInput.littleEndian. */
  readonly littleEndian?: boolean;
}

/**
 * Builds a GGUF file in the file's own section order: every `set` (metadata) before
 * any `addTensor`, and `build` last, once. Each call checks its entry at once, so a
 * duplicate key, a duplicate or too-long tensor name, or a wrong byte length throws a
 * {@link GgufError} at the call that caused it.
 *
 * @example
 * ```ts
 * const bytes = new GgufBuilder()
 *   .set("general.architecture", str("bitnet"))
 *   .addTensor({ name: "output_norm.weight", shape: [256], type: "F32", values: new Float32Array(256) })
 *   .build();
 * parseGguf(bytes).tensors.length; // 1
 * ```
 */
export class GgufBuilder {
  private readonly entries: (readonly [string, GgufValue])[] = [];
  private readonly keys = new Set<string>();
  private readonly tensors: PreparedTensor[] = [];
  private readonly names = new Set<string>();
  private readonly alignment: number;
  private readonly littleEndian: boolean;
  private built = false;

  constructor(options: GgufBuilderOptions = {}) {
    const a = options.alignment ?? GGUF_DEFAULT_ALIGNMENT;
    if (!Number.isInteger(a) || a < 1 || a > 0x80000000 || (a & (a - 1)) !== 0) {
      throw new GgufError(`GgufBuilder: alignment must be a power of two that fits in u32, got ${a}`);
    }
    this.alignment = a;
    this.littleEndian = options.littleEndian ?? true;
    if (a !== GGUF_DEFAULT_ALIGNMENT) this.set("general.alignment", { type: "u32", value: a });
  }

  /**
   * Adds one metadata entry. Throws after the first tensor, for a duplicate key, for a
   * bad value, and for a `general.alignment` other than the constructor's alignment.
   *
   * @example
   * ```ts
   * builder.set("bitnet.block_count", u32(2)); // returns the builder
   * ```
   */
  set(key: string, value: GgufValue): this {
    this.checkOpen(`set(${JSON.stringify(key)})`);
    if (this.tensors.length > 0) {
      throw new GgufError(`GgufBuilder: metadata ${JSON.stringify(key)} comes after tensor ${JSON.stringify(this.tensors[0].name)}; all metadata must come first`);
    }
    if (this.keys.has(key)) {
      const why = key === "general.alignment" ? " (set the alignment through the constructor)" : "";
      throw new GgufError(`GgufBuilder: duplicate metadata key ${JSON.stringify(key)}${why}`);
    }
    checkMetadataEntry(key, value);
    if (this.entries.length + 2 > DEFAULT_CAPS.maxKvCount) throw new GgufError(`GgufBuilder: more than the readers' cap maxKvCount = ${DEFAULT_CAPS.maxKvCount} metadata entries`);
    if (key === "general.alignment" && value.value !== this.alignment) {
      throw new GgufError(`GgufBuilder: general.alignment ${value.type === "array" ? `(an array of ${value.itemType})` : String(value.value)} differs from the builder's alignment ${this.alignment}; set it through the constructor`);
    }
    this.keys.add(key);
    this.entries.push([key, value]);
    return this;
  }

  /**
   * Adds one tensor (encoded bytes, or values and a target type); its data follows the
   * previous tensor's in the file.
   *
   * @example
   * ```ts
   * builder.addTensor({ name: "blk.0.attn_q.weight", shape: [256, 256], type: "TQ2_0", values }); // returns the builder
   * ```
   */
  addTensor(tensor: GgufTensorInput): this {
    this.checkOpen(`addTensor(${JSON.stringify(tensor.name)})`);
    const prepared = prepareTensor(tensor, this.littleEndian);
    if (this.names.has(prepared.name)) throw new GgufError(`GgufBuilder: duplicate tensor name ${JSON.stringify(prepared.name)}`);
    if (this.tensors.length >= DEFAULT_CAPS.maxTensorCount) throw new GgufError(`GgufBuilder: more than the readers' cap maxTensorCount = ${DEFAULT_CAPS.maxTensorCount} tensors`);
    this.names.add(prepared.name);
    this.tensors.push(prepared);
    return this;
  }

  /**
   * The finished file. The builder cannot be used afterwards.
   *
   * @example
   * ```ts
   * const bytes = builder.build(); // Uint8Array, starting with "GGUF"
   * ```
   */
  build(): Uint8Array {
    this.checkOpen("build()");
    this.built = true;
    return assemble(this.entries, this.tensors, this.alignment, this.littleEndian);
  }

  private checkOpen(what: string): void {
    if (this.built) throw new GgufError(`GgufBuilder: ${what} after build(); a builder writes one file`);
  }
}
