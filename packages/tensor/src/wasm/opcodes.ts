// The WebAssembly opcodes the kernels use, named exactly as in the spec
// (core: binary/instructions.rst of wasm 2.0; SIMD: the simd proposal's
// BinarySIMD.md, now part of wasm 2.0). SIMD instructions are the prefix byte
// 0xFD followed by the sub-opcode below as an unsigned LEB128. Grouped by the
// immediates that follow the opcode.

/** Value types (binary/types.rst). */
export const VALTYPE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
/** A value type name. */
export type ValType = keyof typeof VALTYPE;

/** The block type of a block with no result (`0x40`). */
export const EMPTY_BLOCKTYPE = 0x40;

/** Structured control instructions (each takes a block type) and branches (each takes a label depth). */
export const CONTROL = { block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, return: 0x0f } as const;

/** Variable instructions, each followed by a u32 local index. */
export const VARIABLE = { "local.get": 0x20, "local.set": 0x21, "local.tee": 0x22 } as const;
/** A variable instruction name. */
export type VariableOp = keyof typeof VARIABLE;

/** Core instructions without immediates. */
export const CORE = {
  unreachable: 0x00,
  nop: 0x01,
  drop: 0x1a,
  select: 0x1b,
  "i32.eqz": 0x45,
  "i32.eq": 0x46,
  "i32.ne": 0x47,
  "i32.lt_s": 0x48,
  "i32.lt_u": 0x49,
  "i32.gt_s": 0x4a,
  "i32.gt_u": 0x4b,
  "i32.le_s": 0x4c,
  "i32.le_u": 0x4d,
  "i32.ge_s": 0x4e,
  "i32.ge_u": 0x4f,
  "i32.add": 0x6a,
  "i32.sub": 0x6b,
  "i32.mul": 0x6c,
  "i32.and": 0x71,
  "i32.or": 0x72,
  "i32.xor": 0x73,
  "i32.shl": 0x74,
  "i32.shr_s": 0x75,
  "i32.shr_u": 0x76,
  "f32.sqrt": 0x91,
  "f32.add": 0x92,
  "f32.sub": 0x93,
  "f32.mul": 0x94,
  "f32.div": 0x95,
  "f64.add": 0xa0,
  "f64.mul": 0xa2,
  "f64.div": 0xa3,
  "f32.demote_f64": 0xb6,
  "f64.convert_i32_s": 0xb7,
  "f64.promote_f32": 0xbb,
} as const;
/** A core instruction name without immediates. */
export type CoreOp = keyof typeof CORE;

/** Core memory instructions, each followed by a memarg (align, offset) — value is [opcode, natural alignment as log2 bytes]. */
export const CORE_MEMORY = {
  "i32.load": [0x28, 2],
  "f32.load": [0x2a, 2],
  "f64.load": [0x2b, 3],
  "i32.load8_s": [0x2c, 0],
  "i32.load8_u": [0x2d, 0],
  "i32.load16_s": [0x2e, 1],
  "i32.load16_u": [0x2f, 1],
  "i32.store": [0x36, 2],
  "f32.store": [0x38, 2],
  "i32.store8": [0x3a, 0],
  "i32.store16": [0x3b, 1],
} as const;
/** A core memory instruction name. */
export type CoreMemoryOp = keyof typeof CORE_MEMORY;

/** The SIMD prefix byte. */
export const SIMD_PREFIX = 0xfd;

/** SIMD instructions without immediates (sub-opcodes). */
export const SIMD = {
  "i8x16.swizzle": 0x0e,
  "i8x16.splat": 0x0f,
  "i16x8.splat": 0x10,
  "i32x4.splat": 0x11,
  "f32x4.splat": 0x13,
  "v128.not": 0x4d,
  "v128.and": 0x4e,
  "v128.andnot": 0x4f,
  "v128.or": 0x50,
  "v128.xor": 0x51,
  "v128.bitselect": 0x52,
  "i16x8.shl": 0x8b,
  "i16x8.shr_s": 0x8c,
  "i16x8.shr_u": 0x8d,
  "i16x8.add": 0x8e,
  "i16x8.sub": 0x91,
  "i16x8.mul": 0x95,
  "i16x8.extend_low_i8x16_s": 0x87,
  "i16x8.extend_high_i8x16_s": 0x88,
  "i32x4.extend_low_i16x8_s": 0xa7,
  "i32x4.extend_high_i16x8_s": 0xa8,
  "i32x4.gt_s": 0x3b,
  "i32x4.ge_s": 0x3f,
  "i32x4.shl": 0xab,
  "i32x4.shr_s": 0xac,
  "i32x4.shr_u": 0xad,
  "i32x4.add": 0xae,
  "i32x4.sub": 0xb1,
  "i32x4.mul": 0xb5,
  "i32x4.dot_i16x8_s": 0xba,
  "f32x4.add": 0xe4,
  "f32x4.sub": 0xe5,
  "f32x4.mul": 0xe6,
  "f32x4.div": 0xe7,
  "f32x4.min": 0xe8,
  "f32x4.max": 0xe9,
  "f64x2.splat": 0x14,
  "f64x2.lt": 0x49,
  "f64x2.ge": 0x4c,
  "f64x2.abs": 0xec,
  "f64x2.neg": 0xed,
  "f64x2.add": 0xf0,
  "f64x2.sub": 0xf1,
  "f64x2.mul": 0xf2,
  "f64x2.div": 0xf3,
  "f64x2.pmin": 0xf6,
  "f64x2.pmax": 0xf7,
  "f64x2.trunc": 0x7a,
  "f64x2.nearest": 0x94,
  "f32x4.nearest": 0x6a,
  "f32x4.abs": 0xe0,
  "i32x4.trunc_sat_f32x4_s": 0xf8,
  "i16x8.narrow_i32x4_s": 0x85,
  "i8x16.narrow_i16x8_s": 0x65,
  "i64x2.shl": 0xcb,
  "f64x2.convert_low_i32x4_s": 0xfe,
  "f32x4.demote_f64x2_zero": 0x5e,
  "f64x2.promote_low_f32x4": 0x5f,
} as const;
/** A SIMD instruction name without immediates. */
export type SimdOp = keyof typeof SIMD;

/** SIMD memory instructions, each followed by a memarg — value is [sub-opcode, natural alignment as log2 bytes]. */
export const SIMD_MEMORY = {
  "v128.load": [0x00, 4],
  "v128.load8_splat": [0x07, 0],
  "v128.load16_splat": [0x08, 1],
  "v128.load32_splat": [0x09, 2],
  "v128.load64_splat": [0x0a, 3],
  "v128.store": [0x0b, 4],
  "v128.load32_zero": [0x5c, 2],
  "v128.load64_zero": [0x5d, 3],
} as const;
/** A SIMD memory instruction name. */
export type SimdMemoryOp = keyof typeof SIMD_MEMORY;

/** SIMD lane instructions, each followed by one lane-index byte — value is [sub-opcode, lane count]. */
export const SIMD_LANE = {
  "i8x16.extract_lane_s": [0x15, 16],
  "i16x8.extract_lane_s": [0x18, 8],
  "i32x4.extract_lane": [0x1b, 4],
  "i32x4.replace_lane": [0x1c, 4],
  "f32x4.extract_lane": [0x1f, 4],
  "f32x4.replace_lane": [0x20, 4],
  "f64x2.replace_lane": [0x22, 2],
} as const;
/** A SIMD lane instruction name. */
export type SimdLaneOp = keyof typeof SIMD_LANE;

/** `v128.const` (16 immediate bytes) and `i8x16.shuffle` (16 immediate lane indices 0..31). */
export const SIMD_V128_CONST = 0x0c;
/** See {@link SIMD_V128_CONST}. */
export const SIMD_SHUFFLE = 0x0d;
