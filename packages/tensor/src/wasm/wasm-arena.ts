// The linear memory the kernels read and write, with a small first-fit
// allocator over it. Frozen weights stay allocated (until their packed array
// is garbage collected); per-call operands are allocated and released around
// each call. Growing a non-shared memory detaches its old ArrayBuffer, so
// callers take typed-array views of `memory.buffer` only after their last
// `alloc` and never keep them across calls. A shared memory (`shared: true`,
// where SharedArrayBuffer exists) never detaches: views of it stay valid, so
// frozen weights can live there as the CPU backend's own storage, and worker
// threads can run kernels over the same bytes.
import type { WasmApi, WasmMemory } from "./webassembly-api.js";

const PAGE = 65536;
const ALIGN = 64; // a cache line; v128 accesses need 16 only

/**
 * A growable memory and its allocator.
 *
 * @example
 * ```ts
 * const arena = new WasmArena(WebAssembly);
 * const p = arena.alloc(1024); // a 64-byte aligned offset, or -1 if the memory cannot grow
 * new Float32Array(arena.memory.buffer, p, 256).fill(1);
 * arena.release(p);
 * ```
 */
export class WasmArena {
  readonly memory: WasmMemory;
  /** Free runs, sorted by offset, never adjacent (coalesced). */
  private readonly freeRuns: { off: number; size: number }[] = [];
  private readonly sizes = new Map<number, number>();
  /** End of the highest allocation ever made. */
  private top = ALIGN; // offset 0 stays unused, so no allocation is ever at address 0

  /** True when the memory is shared (a SharedArrayBuffer that never detaches). */
  readonly shared: boolean;

  /** A new memory of `initialPages` pages; `shared` with a maximum of `maximumPages` (required by shared memories). */
  constructor(api: WasmApi, initialPages = 16, opts: { readonly shared?: boolean; readonly maximumPages?: number } = {}) {
    this.shared = opts.shared === true;
    this.memory = this.shared ? new api.Memory({ initial: initialPages, maximum: opts.maximumPages ?? 65536, shared: true }) : new api.Memory({ initial: initialPages });
  }

  /** Bytes in use (allocated and not released). */
  get used(): number {
    let s = 0;
    for (const v of this.sizes.values()) s += v;
    return s;
  }

  /** Allocates `bytes` (rounded up to 64), 64-byte aligned; returns -1 when the memory cannot grow that far. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.freeRuns.length; i++) {
      const run = this.freeRuns[i];
      if (run.size >= size) {
        const off = run.off;
        if (run.size === size) this.freeRuns.splice(i, 1);
        else {
          run.off += size;
          run.size -= size;
        }
        this.sizes.set(off, size);
        return off;
      }
    }
    // take from the top, merging a free run that ends at the top
    const last = this.freeRuns[this.freeRuns.length - 1];
    let off = this.top;
    if (last !== undefined && last.off + last.size === this.top) {
      off = last.off;
      this.freeRuns.pop();
    }
    const end = off + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        if (off !== this.top) this.freeRuns.push({ off, size: this.top - off });
        return -1;
      }
    }
    this.top = end;
    this.sizes.set(off, size);
    return off;
  }

  /**
   * {@link alloc}, with the block's bytes zero: only bytes that an earlier
   * allocation may have written are cleared; fresh memory above the highest
   * allocation ever made is zero already and stays untouched, so the
   * operating system does not commit its pages until they are written.
   */
  allocZeroed(bytes: number): number {
    const top = this.top;
    const off = this.alloc(bytes);
    const dirty = Math.min(off + bytes, top) - off;
    if (off >= 0 && dirty > 0) new Uint8Array(this.memory.buffer, off, dirty).fill(0);
    return off;
  }

  /** Returns an allocation to the free list (coalescing neighbours); unknown offsets are ignored. */
  release(off: number): void {
    const size = this.sizes.get(off);
    if (size === undefined) return;
    this.sizes.delete(off);
    let lo = 0;
    let hi = this.freeRuns.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.freeRuns[mid] as { off: number }).off < off) lo = mid + 1;
      else hi = mid;
    }
    const run = { off, size };
    this.freeRuns.splice(lo, 0, run);
    const next = this.freeRuns[lo + 1];
    if (next !== undefined && run.off + run.size === next.off) {
      run.size += next.size;
      this.freeRuns.splice(lo + 1, 1);
    }
    const prev = this.freeRuns[lo - 1];
    if (prev !== undefined && prev.off + prev.size === run.off) {
      prev.size += run.size;
      this.freeRuns.splice(lo, 1);
    }
  }
}
