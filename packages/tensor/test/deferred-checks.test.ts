// Deferred checks (what WebGPU uses to report bad values at the next read),
// exercised on the CPU backend: the check is computed with tensor ops, the
// next data() on the backend throws the earliest failed check's error, and
// the pending state is cleared afterwards.
import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError, cpuBackend, deferCheck, gt, settleChecks, tensor, zeros } from "@bitnet-quantize/tensor";

describe("deferCheck / settleChecks", () => {
  it("throws the earliest failed check's error at the next read, then reads normally", async () => {
    const b = cpuBackend();
    const x = tensor([1, 5, 3], undefined, "float32", b);
    deferCheck(gt(x, 10), () => new ShapeError("never: nothing is above 10"));
    deferCheck(gt(x, 4), () => new ArgumentError("first failure: 5 > 4"));
    deferCheck(gt(x, 2), () => new ShapeError("second failure"));
    await expect(tensor([0], undefined, "float32", b).data()).rejects.toThrow(new ArgumentError("first failure: 5 > 4"));
    expect(Array.from(await x.data())).toEqual([1, 5, 3]);
  });

  it("passes checks that hold, ignores empty ones, and keeps backends apart", async () => {
    const a = cpuBackend();
    const b = cpuBackend();
    deferCheck(gt(tensor([1, 2], undefined, "float32", a), 5), () => new ArgumentError("unreachable"));
    deferCheck(gt(zeros([0, 3], "float32", a), -1), () => new ArgumentError("empty: unreachable"));
    deferCheck(gt(tensor([9], undefined, "float32", b), 5), () => new ArgumentError("on b"));
    await expect(settleChecks(a)).resolves.toBeUndefined();
    await expect(settleChecks(b)).rejects.toThrow(ArgumentError);
    await expect(settleChecks(b)).resolves.toBeUndefined();
  });
});
