// The WebAssembly emitter: LEB128 against hand-checked bytes, instructions
// against their spec encodings, whole modules against hand-written bytes and
// WebAssembly.validate, and its errors for malformed code.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError } from "@bitnet-quantize/tensor";
import { FunctionBuilder, encodeModule, kernelFunctions, signedLeb128, simdProbeModule, unsignedLeb128, wasmSimdSupported } from "../src/wasm/index.js";
import { wasmApi } from "../src/wasm/index.js";

const api = wasmApi() as NonNullable<ReturnType<typeof wasmApi>>;

function hex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Decoders written independently of the encoders, for the round-trip properties. */
function decodeUnsigned(bytes: readonly number[]): number {
  let v = 0;
  let scale = 1;
  for (const b of bytes) {
    v += (b & 0x7f) * scale;
    scale *= 128;
  }
  return v;
}
function decodeSigned(bytes: readonly number[]): number {
  let v = 0n;
  let shift = 0n;
  for (const b of bytes) {
    v |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  }
  const last = bytes[bytes.length - 1];
  if ((last & 0x40) !== 0) v -= 1n << shift;
  return Number(v);
}

describe("LEB128", () => {
  it("matches the spec's and hand-checked examples", () => {
    expect(unsignedLeb128(0)).toEqual([0]);
    expect(unsignedLeb128(127)).toEqual([0x7f]);
    expect(unsignedLeb128(128)).toEqual([0x80, 0x01]);
    expect(unsignedLeb128(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(unsignedLeb128(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(signedLeb128(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(signedLeb128(-1)).toEqual([0x7f]);
    expect(signedLeb128(63)).toEqual([0x3f]);
    expect(signedLeb128(64)).toEqual([0xc0, 0x00]); // not 0x40, which reads as -64
    expect(signedLeb128(-64)).toEqual([0x40]);
    expect(signedLeb128(0xffffffff)).toEqual([0x7f]); // u32 written as its i32 twin
  });

  it("round-trips every u32 and i32 through independent decoders, in at most 5 bytes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: -0x80000000, max: 0x7fffffff }), (u, s) => {
        const ub = unsignedLeb128(u);
        const sb = signedLeb128(s);
        expect(decodeUnsigned(ub)).toBe(u);
        expect(decodeSigned(sb)).toBe(s);
        expect(ub.length).toBeLessThanOrEqual(5);
        expect(sb.length).toBeLessThanOrEqual(5);
        for (const bytes of [ub, sb]) bytes.forEach((b, i) => expect(b >= 0x80).toBe(i < bytes.length - 1));
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it("rejects values outside the integer range", () => {
    expect(() => unsignedLeb128(-1)).toThrow(ArgumentError);
    expect(() => unsignedLeb128(2 ** 32)).toThrow(/not a u32/);
    expect(() => signedLeb128(1.5)).toThrow(/not an i32/);
  });
});

describe("FunctionBuilder", () => {
  it("encodes instructions as the spec tables give them", () => {
    const f = new FunctionBuilder("f", ["i32"], []);
    const v = f.local("v128");
    const l = f.local("v128");
    expect([v, l]).toEqual([1, 2]);
    f.get(0).memory("v128.load", 16).set(v); // 20 00, FD 00 04 10, 21 01
    f.get(v).i32Const(2).op("i16x8.shr_s").set(l); // FD 8C 01 (sub-opcode 0x8c as 2-byte LEB128)
    f.get(l).get(v).op("i32x4.dot_i16x8_s").op("drop"); // FD BA 01, 1A
    f.get(v).lane("i32x4.extract_lane", 3).op("drop"); // FD 1B 03
    f.get(0).memory("v128.load32_splat", 4).op("drop"); // FD 09 02 04
    f.get(v).op("f64x2.trunc").get(l).op("f64x2.pmin").op("drop"); // FD 7A (one byte: below 0x80), FD F6 01
    f.get(v).i32Const(52).op("i64x2.shl").op("drop"); // FD CB 01
    expect(hex(f.finish())).toBe(
      "01027b" + // one group of 2 v128 locals
        "2000" + "fd000410" + "2101" +
        "2001" + "4102" + "fd8c01" + "2102" +
        "2002" + "2001" + "fdba01" + "1a" +
        "2001" + "fd1b03" + "1a" +
        "2000" + "fd090204" + "1a" +
        "2001" + "fd7a" + "2002" + "fdf601" + "1a" +
        "2001" + "4134" + "fdcb01" + "1a" +
        "0b",
    );
  });

  it("rejects malformed immediates and unbalanced blocks with the function's name", () => {
    const f = new FunctionBuilder("k", [], []);
    expect(() => f.lane("f32x4.extract_lane", 4)).toThrow(/k: f32x4.extract_lane lane 4 is not in 0..3/);
    expect(() => f.memory("i32.load", 0, 3)).toThrow(/align 3 exceeds the natural 2/);
    expect(() => f.shuffle([32, ...new Array<number>(15).fill(0)])).toThrow(/16 lane indices in 0..31/);
    expect(() => f.v128Const([1, 2])).toThrow(/16 bytes/);
    expect(() => f.get(0)).toThrow(/no such local/);
    expect(() => f.br(0)).toThrow(/branch depth 0 with 0 open blocks/);
    expect(() => f.end()).toThrow(/end without an open block/);
    f.open("block");
    expect(() => f.finish()).toThrow(/1 blocks left open/);
  });
});

describe("encodeModule", () => {
  it("emits the spec's minimal module byte for byte (env.memory import, f() -> 42)", () => {
    const f = new FunctionBuilder("f", [], ["i32"]);
    f.i32Const(42);
    const bytes = encodeModule({ memoryMinPages: 1, functions: [f] });
    expect(hex(bytes)).toBe(
      "0061736d01000000" + // preamble
        "0105016000017f" + // type: () -> i32
        "020f" + "01" + "03656e76" + "066d656d6f7279" + "020001" + // import: 15 bytes, 1 entry "env" "memory", memory, min 1 page
        "03020100" + // function 0 has type 0
        "07050101660000" + // export "f" = func 0
        "0a06010400412a0b", // code
    );
    expect(api.validate(bytes)).toBe(true);
    const memory = new api.Memory({ initial: 1 });
    const inst = new api.Instance(new api.Module(bytes), { env: { memory } });
    expect((inst.exports.f as () => number)()).toBe(42);
  });

  it("imports a shared memory with limits flag 0x03 (min and max), which only a shared WebAssembly.Memory satisfies", () => {
    const f = new FunctionBuilder("f", [], ["i32"]);
    f.i32Const(42);
    const bytes = encodeModule({ memoryMinPages: 1, sharedMemoryMaxPages: 4, functions: [f] });
    expect(hex(bytes)).toContain("03656e76" + "066d656d6f7279" + "02030104"); // "env" "memory", memory, shared, min 1, max 4
    expect(api.validate(bytes)).toBe(true);
    const shared = new api.Memory({ initial: 1, maximum: 4, shared: true });
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    const inst = new api.Instance(new api.Module(bytes), { env: { memory: shared } });
    expect((inst.exports.f as () => number)()).toBe(42);
    expect(() => new api.Instance(new api.Module(bytes), { env: { memory: new api.Memory({ initial: 1, maximum: 4 }) } })).toThrow();
  });

  it("deduplicates function types and exports every function", () => {
    const a = new FunctionBuilder("a", ["i32"], ["i32"]);
    a.get(0).i32Const(1).op("i32.add");
    const b = new FunctionBuilder("b", ["i32"], ["i32"]);
    b.get(0).i32Const(-1).op("i32.mul");
    const bytes = encodeModule({ functions: [a, b] });
    expect(hex(bytes.subarray(8, 16))).toBe("01060160017f017f"); // one type (i32) -> (i32)
    const inst = new api.Instance(new api.Module(bytes), {});
    expect((inst.exports.a as (x: number) => number)(41)).toBe(42);
    expect((inst.exports.b as (x: number) => number)(5)).toBe(-5);
  });

  it("produces modules WebAssembly.validate accepts: the SIMD probe and every kernel", () => {
    expect(api.validate(simdProbeModule())).toBe(true);
    expect(wasmSimdSupported()).toBe(true);
    for (const f of kernelFunctions()) expect([f.name, api.validate(encodeModule({ memoryMinPages: 1, functions: [f] }))]).toEqual([f.name, true]);
  });

  it("an ill-typed body fails validation (the builder leaves stack typing to the engine)", () => {
    const f = new FunctionBuilder("bad", [], ["i32"]);
    f.f32Const(1); // f32 where i32 is declared
    expect(api.validate(encodeModule({ functions: [f] }))).toBe(false);
  });
});
