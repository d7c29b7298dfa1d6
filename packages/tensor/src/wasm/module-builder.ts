// Encodes a kernel module: the preamble and the sections a kernel needs —
// type (1), import (2: one linear memory, env.memory), function (3),
// export (7) and code (10) — in the order the spec requires
// (binary/modules.rst). Each section is its id, its u32 LEB128 byte size and
// its contents; vectors are a u32 count then the items.
import { unsignedLeb128 } from "./leb128.js";
import { VALTYPE } from "./opcodes.js";
import type { FunctionBuilder } from "./code-builder.js";

/** `\0asm` then version 1. */
export const WASM_PREAMBLE: readonly number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** What a kernel module holds. */
export interface ModuleSpec {
  /** Import `env.memory` with at least this many 64 KiB pages and no maximum (omit for no memory). */
  readonly memoryMinPages?: number;
  /**
   * Import a shared memory instead (threads proposal: limits flag 0x03,
   * which requires a maximum): the `WebAssembly.Memory` given must be
   * `shared: true` with at most this many pages as its maximum.
   */
  readonly sharedMemoryMaxPages?: number;
  /** The functions, each exported under its name, in function-index order. */
  readonly functions: readonly FunctionBuilder[];
}

function name(s: string): number[] {
  const bytes = new TextEncoder().encode(s);
  return [...unsignedLeb128(bytes.length), ...bytes];
}

function section(id: number, contents: readonly number[]): number[] {
  return [id, ...unsignedLeb128(contents.length), ...contents];
}

function vec(items: readonly (readonly number[])[]): number[] {
  return [...unsignedLeb128(items.length), ...items.flat()];
}

/**
 * The binary module; function types are deduplicated.
 *
 * @example
 * ```ts
 * const f = new FunctionBuilder("f", [], ["i32"]);
 * f.i32Const(42);
 * new WebAssembly.Instance(new WebAssembly.Module(encodeModule({ functions: [f] })), {}).exports.f(); // 42
 * ```
 */
export function encodeModule(spec: ModuleSpec): Uint8Array {
  const types: number[][] = [];
  const typeKeys: string[] = [];
  const typeOf: number[] = [];
  for (const f of spec.functions) {
    const t = [0x60, ...vec(f.params.map((p) => [VALTYPE[p]])), ...vec(f.results.map((r) => [VALTYPE[r]]))];
    const key = t.join(",");
    let i = typeKeys.indexOf(key);
    if (i < 0) {
      i = types.length;
      types.push(t);
      typeKeys.push(key);
    }
    typeOf.push(i);
  }
  const out: number[] = [...WASM_PREAMBLE];
  out.push(...section(1, vec(types)));
  if (spec.memoryMinPages !== undefined) {
    const limits = spec.sharedMemoryMaxPages === undefined
      // limits flag 0x00 = min only (accepts a Memory with or without a maximum)
      ? [0x00, ...unsignedLeb128(spec.memoryMinPages)]
      // limits flag 0x03 = shared, min and max
      : [0x03, ...unsignedLeb128(spec.memoryMinPages), ...unsignedLeb128(spec.sharedMemoryMaxPages)];
    // import kind 0x02 = memory
    out.push(...section(2, vec([[...name("env"), ...name("memory"), 0x02, ...limits]])));
  }
  out.push(...section(3, vec(typeOf.map((t) => unsignedLeb128(t)))));
  out.push(...section(7, vec(spec.functions.map((f, i) => [...name(f.name), 0x00, ...unsignedLeb128(i)]))));
  out.push(...section(10, vec(spec.functions.map((f) => {
    const body = f.finish();
    return [...unsignedLeb128(body.length), ...body];
  }))));
  return Uint8Array.from(out);
}
