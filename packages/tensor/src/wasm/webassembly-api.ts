// The slice of the WebAssembly JavaScript API the kernels use, typed here
// because the project's TypeScript libs (ES2023 + node) do not declare it.
// Reading it never throws: engines without WebAssembly give undefined.

/**
 * A `WebAssembly.Memory`: `buffer` is replaced by every `grow` (the old one
 * detached; a shared memory's old SharedArrayBuffer stays valid at its old length).
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Grows by `pages` 64 KiB pages; returns the old size in pages; throws RangeError when it cannot. */
  grow(pages: number): number;
}

/** A compiled module (opaque). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

/** An instance: its exported functions and memories by name. */
export interface WasmInstance {
  readonly exports: Readonly<Record<string, unknown>>;
}

/** The constructors and `validate` of the `WebAssembly` namespace. */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: Readonly<Record<string, Readonly<Record<string, unknown>>>>) => WasmInstance;
  readonly Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/**
 * The engine's `WebAssembly` namespace, or `undefined` where there is none.
 *
 * @example
 * ```ts
 * wasmApi()?.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); // true
 * ```
 */
export function wasmApi(): WasmApi | undefined {
  const g = globalThis as { readonly WebAssembly?: WasmApi };
  return g.WebAssembly;
}
