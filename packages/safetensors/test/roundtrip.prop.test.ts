// Properties: any set of tensors round-trips byte for byte; every written tensor is aligned to its
// element size; the f16/bf16 encoders agree with the decoders.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SAFETENSORS_DTYPES,
  safetensorsDtype,
  bf16BitsToNumber,
  f16BitsToNumber,
  numberToBf16Bits,
  numberToF16Bits,
  parseSafetensors,
  tensorBytes,
  writeSafetensors,
  type SafetensorsTensorInput,
} from "@bitnet-quantize/safetensors";

const wholeByteDtypes = SAFETENSORS_DTYPES.filter((d) => d.bits % 8 === 0);
const tensor: fc.Arbitrary<SafetensorsTensorInput> = fc
  .record({ d: fc.constantFrom(...wholeByteDtypes), shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }) })
  .chain(({ d, shape }) => {
    const bytes = (shape.reduce((a, b) => a * b, 1) * d.bits) / 8;
    return fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((data) => ({ dtype: d.name, shape, data }));
  });

describe("safetensors round trip", () => {
  it("write then parse gives back every name, dtype, shape, byte and the metadata; tensors are aligned", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), tensor, { maxKeys: 6 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })), (tensors, metadata) => {
        delete (tensors as Record<string, unknown>)["__metadata__"];
        const file = parseSafetensors(writeSafetensors({ tensors, metadata }));
        expect(file.metadata).toEqual(metadata);
        expect(file.tensors.length).toBe(Object.keys(tensors).length);
        for (const [name, t] of Object.entries(tensors)) {
          const info = file.tensorsByName.get(name);
          if (info === undefined) throw new Error(`${name} is missing`);
          expect([info.dtype, info.shape]).toEqual([t.dtype, t.shape]);
          expect(tensorBytes(file, name)).toEqual(t.data);
          const size = safetensorsDtype(t.dtype).bits / 8;
          expect(info.byteOffset % size).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("f16 and bf16: decode(encode(decode(bits))) is the identity on non-NaN bit patterns", () => {
    for (let h = 0; h < 0x10000; h++) {
      const f = f16BitsToNumber(h);
      if (!Number.isNaN(f)) expect(numberToF16Bits(f)).toBe(h);
      const b = bf16BitsToNumber(h);
      if (!Number.isNaN(b)) expect(numberToBf16Bits(b)).toBe(h);
    }
  });
});
