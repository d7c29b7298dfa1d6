// A builder for one WebAssembly function: its locals and the bytes of its
// body, one method per instruction kind, each instruction named as in the
// spec. It checks immediates (lane indices, alignments, label depths, block
// nesting) so a malformed kernel fails here with a message, not later as an
// opaque CompileError. It does not type-check the operand stack: that is
// WebAssembly.validate's job (the tests run it on every emitted module).
import { ArgumentError } from "../errors.js";
import { signedLeb128, unsignedLeb128 } from "./leb128.js";
import {
  CONTROL,
  CORE,
  CORE_MEMORY,
  type CoreMemoryOp,
  type CoreOp,
  EMPTY_BLOCKTYPE,
  SIMD,
  SIMD_LANE,
  SIMD_MEMORY,
  SIMD_PREFIX,
  SIMD_SHUFFLE,
  SIMD_V128_CONST,
  type SimdLaneOp,
  type SimdMemoryOp,
  type SimdOp,
  VALTYPE,
  type ValType,
  VARIABLE,
  type VariableOp,
} from "./opcodes.js";

/**
 * The 16 bytes of an all-zero `v128.const` (zeroed accumulators).
 *
 * @example
 * ```ts
 * f.v128Const(V128_ZERO).set(acc); // acc = 0 in every lane
 * ```
 */
export const V128_ZERO: readonly number[] = new Array<number>(16).fill(0);

/**
 * `i8x16.shuffle` byte indices that pick whole 32-bit lanes: `lanes[i]` is
 * lane 0..3 of the first operand or 4..7 of the second.
 *
 * @example
 * ```ts
 * f.get(a).get(b).shuffle(lanes32([0, 4, 1, 5])); // (a0, b0, a1, b1)
 * ```
 */
export function lanes32(lanes: readonly number[]): number[] {
  return lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
}

/**
 * `i8x16.shuffle` lanes that move lanes 2 and 3 of the first operand down
 * to 0 and 1 (for `f64x2.promote_low_f32x4` of a vector's upper half).
 *
 * @example
 * ```ts
 * f.get(v).get(v).shuffle(UPPER_HALF).op("f64x2.promote_low_f32x4"); // v2, v3 as float64
 * ```
 */
export const UPPER_HALF: readonly number[] = lanes32([2, 3, 2, 3]);

/**
 * `i8x16.shuffle` lanes that join lanes 0 and 1 of each operand (two
 * `f32x4.demote_f64x2_zero` results into one f32x4).
 *
 * @example
 * ```ts
 * f.get(a).op("f32x4.demote_f64x2_zero").get(b).op("f32x4.demote_f64x2_zero").shuffle(LOW_HALVES); // (a0, a1, b0, b1)
 * ```
 */
export const LOW_HALVES: readonly number[] = lanes32([0, 1, 4, 5]);

/**
 * `i8x16.shuffle` lanes that interleave two vectors lane by lane: the low
 * halves (a0, b0, a1, b1) and the high halves (a2, b2, a3, b3).
 *
 * @example
 * ```ts
 * f.get(a).get(b).shuffle(INTERLEAVE_LOW); // (a0, b0, a1, b1)
 * ```
 */
export const INTERLEAVE_LOW: readonly number[] = lanes32([0, 4, 1, 5]);
/** See {@link INTERLEAVE_LOW}: (a2, b2, a3, b3). @example `f.get(a).get(b).shuffle(INTERLEAVE_HIGH);` */
export const INTERLEAVE_HIGH: readonly number[] = lanes32([2, 6, 3, 7]);

/**
 * The 16 bytes of a `v128.const` holding `value` as a float64 in both lanes.
 *
 * @example
 * ```ts
 * f.v128Const(f64x2Bytes(0.5)); // (0.5, 0.5)
 * ```
 */
export function f64x2Bytes(value: number): number[] {
  return Array.from(new Uint8Array(new Float64Array([value, value]).buffer));
}

/**
 * One function under construction. Parameters are locals `0 .. params-1`;
 * {@link FunctionBuilder.local} adds more after them.
 *
 * @example
 * ```ts
 * const f = new FunctionBuilder("answer", [], ["i32"]);
 * f.i32Const(42);
 * f.finish(); // body bytes [0x00, 0x41, 0x2a, 0x0b] (no locals, i32.const 42, end)
 * ```
 */
export class FunctionBuilder {
  private readonly code: number[] = [];
  private readonly localTypes: ValType[] = [];
  private depth = 0;

  constructor(
    readonly name: string,
    readonly params: readonly ValType[],
    readonly results: readonly ValType[],
  ) {}

  /** Declares a new local of `type` and returns its index. */
  local(type: ValType): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  /** A core or SIMD instruction without immediates, e.g. `"i32.add"` or `"f32x4.mul"`. */
  op(name: CoreOp | SimdOp): this {
    if (name in CORE) this.code.push(CORE[name as CoreOp]);
    else this.code.push(SIMD_PREFIX, ...unsignedLeb128(SIMD[name as SimdOp]));
    return this;
  }

  /** `local.get` / `local.set` / `local.tee` of local `index`. */
  variable(name: VariableOp, index: number): this {
    if (index >= this.params.length + this.localTypes.length) throw new ArgumentError(`${this.name}: ${name} ${index}: no such local`);
    this.code.push(VARIABLE[name], ...unsignedLeb128(index));
    return this;
  }

  /** Shorthand for `local.get`. */
  get(index: number): this {
    return this.variable("local.get", index);
  }

  /** Shorthand for `local.set`. */
  set(index: number): this {
    return this.variable("local.set", index);
  }

  /** `i32.const value` (signed LEB128; u32 values above 2^31 - 1 are written as their i32 twin). */
  i32Const(value: number): this {
    this.code.push(0x41, ...signedLeb128(value));
    return this;
  }

  /** `f32.const value` (4 bytes little-endian IEEE 754). */
  f32Const(value: number): this {
    const b = new Uint8Array(new Float32Array([value]).buffer);
    this.code.push(0x43, ...b);
    return this;
  }

  /** `f64.const value` (8 bytes little-endian IEEE 754). */
  f64Const(value: number): this {
    const b = new Uint8Array(new Float64Array([value]).buffer);
    this.code.push(0x44, ...b);
    return this;
  }

  /**
   * A memory instruction with its memarg: `offset` is added to the address
   * operand; `align` (log2 of bytes, a hint) defaults to the natural one.
   */
  memory(name: CoreMemoryOp | SimdMemoryOp, offset = 0, align?: number): this {
    const simd = name in SIMD_MEMORY;
    const [opcode, natural] = simd ? SIMD_MEMORY[name as SimdMemoryOp] : CORE_MEMORY[name as CoreMemoryOp];
    const a = align ?? natural;
    if (!Number.isInteger(a) || a < 0 || a > natural) throw new ArgumentError(`${this.name}: ${name} align ${a} exceeds the natural ${natural}`);
    if (simd) this.code.push(SIMD_PREFIX, ...unsignedLeb128(opcode));
    else this.code.push(opcode);
    this.code.push(...unsignedLeb128(a), ...unsignedLeb128(offset));
    return this;
  }

  /** A lane instruction, e.g. `"f32x4.extract_lane"` with lane 0..3. */
  lane(name: SimdLaneOp, laneIndex: number): this {
    const [opcode, lanes] = SIMD_LANE[name];
    if (!Number.isInteger(laneIndex) || laneIndex < 0 || laneIndex >= lanes) throw new ArgumentError(`${this.name}: ${name} lane ${laneIndex} is not in 0..${lanes - 1}`);
    this.code.push(SIMD_PREFIX, ...unsignedLeb128(opcode), laneIndex);
    return this;
  }

  /** `v128.const` of 16 bytes (little-endian lanes). */
  v128Const(bytes: ArrayLike<number>): this {
    if (bytes.length !== 16) throw new ArgumentError(`${this.name}: v128.const needs 16 bytes, got ${bytes.length}`);
    this.code.push(SIMD_PREFIX, ...unsignedLeb128(SIMD_V128_CONST));
    for (let i = 0; i < 16; i++) this.code.push(bytes[i] & 0xff);
    return this;
  }

  /** `i8x16.shuffle`: lane i of the result is byte `lanes[i]` (0..31) of the two operands concatenated. */
  shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => !Number.isInteger(l) || l < 0 || l > 31)) {
      throw new ArgumentError(`${this.name}: i8x16.shuffle needs 16 lane indices in 0..31, got [${lanes.join(", ")}]`);
    }
    this.code.push(SIMD_PREFIX, ...unsignedLeb128(SIMD_SHUFFLE), ...lanes);
    return this;
  }

  /** Opens `block`, `loop` or `if` with an empty block type; close it with {@link FunctionBuilder.end}. */
  open(kind: "block" | "loop" | "if"): this {
    this.code.push(CONTROL[kind], EMPTY_BLOCKTYPE);
    this.depth++;
    return this;
  }

  /** `else` of the innermost `if`. */
  else(): this {
    this.code.push(CONTROL.else);
    return this;
  }

  /** Closes the innermost open block. */
  end(): this {
    if (this.depth === 0) throw new ArgumentError(`${this.name}: end without an open block`);
    this.depth--;
    this.code.push(CONTROL.end);
    return this;
  }

  /** `br depth` (0 = innermost block: past its end, or to the start of a loop). */
  br(depth: number): this {
    return this.branch(CONTROL.br, depth);
  }

  /** `br_if depth`: branches when the i32 operand is not zero. */
  brIf(depth: number): this {
    return this.branch(CONTROL.br_if, depth);
  }

  private branch(opcode: number, depth: number): this {
    if (!Number.isInteger(depth) || depth < 0 || depth >= this.depth) throw new ArgumentError(`${this.name}: branch depth ${depth} with ${this.depth} open blocks`);
    this.code.push(opcode, ...unsignedLeb128(depth));
    return this;
  }

  /**
   * The function's code entry contents (before the size prefix): the local
   * declarations (runs of equal types), the body, and `end`.
   */
  finish(): Uint8Array {
    if (this.depth !== 0) throw new ArgumentError(`${this.name}: ${this.depth} blocks left open`);
    const groups: [number, ValType][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const out: number[] = [...unsignedLeb128(groups.length)];
    for (const [n, t] of groups) out.push(...unsignedLeb128(n), VALTYPE[t]);
    out.push(...this.code, CONTROL.end);
    return Uint8Array.from(out);
  }
}
