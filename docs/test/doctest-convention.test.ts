// The doctest machinery itself: which comments assert what, how values
// compare, and how an example is rewritten and run.
import { describe, expect, it } from "vitest";
import { exampleCode } from "../doctest/extract.js";
import { mismatch, parseExpected } from "../doctest/expected.js";
import { prepare, runExample } from "../doctest/run.js";

const ex = (code: string) => ({ pkg: "tensor", symbol: "t", file: "f.ts", line: 1, code });

describe("parseExpected", () => {
  it("reads literals, with or without a remark", () => {
    expect(parseExpected(" 3")).toEqual({ kind: "value", value: 3, text: "3" });
    expect(parseExpected(" [[1, 2], [3, 4]]")).toMatchObject({ value: [[1, 2], [3, 4]] });
    expect(parseExpected(' { type: "string", value: "bitnet" }')).toMatchObject({ value: { type: "string", value: "bitnet" } });
    expect(parseExpected(" 0.2658 (rounded)")).toMatchObject({ value: 0.2658 });
    expect(parseExpected(" true — usually")).toMatchObject({ value: true });
    expect(parseExpected(' "float32"')).toMatchObject({ value: "float32" });
    expect(parseExpected(" NaN")).toMatchObject({ value: Number.NaN });
    expect(parseExpected(" -1e-5")).toMatchObject({ value: -1e-5 });
  });
  it("treats prose as prose", () => {
    for (const c of [" Var [1, 3, 300]", " 4 ids (greedy)", " 1, 2 or 3", " [1, 3, V]", " Int8Array", " 0, JSON on stdout", " shape [2, 3]"]) expect(parseExpected(c), c).toBeNull();
  });
  it("reads throws", () => {
    expect(parseExpected(" throws ShapeError: add: shapes do not broadcast")).toEqual({ kind: "throws", name: "ShapeError", message: "add: shapes do not broadcast" });
    expect(parseExpected(" throws DTypeError")).toEqual({ kind: "throws", name: "DTypeError", message: undefined });
  });
});

describe("mismatch", () => {
  it("matches numbers to the decimals printed, integers closely", () => {
    expect(mismatch(0.26583, 0.2658)).toBeNull();
    expect(mismatch(0.2668, 0.2658)).not.toBeNull();
    expect(mismatch(7.000001, 7)).toBeNull();
    expect(mismatch(7.1, 7)).not.toBeNull();
    expect(mismatch(Math.fround(0.1), 0.1)).toBeNull();
    expect(mismatch(Number.NaN, Number.NaN)).toBeNull();
  });
  it("compares arrays, typed arrays, tensors by toArray and objects by the keys stated", () => {
    expect(mismatch(new Int8Array([1, -1]), [1, -1])).toBeNull();
    expect(mismatch({ shape: [2], toArray: () => [1, 2] }, [1, 2])).toBeNull();
    expect(mismatch([1, 2], [1, 2, 3])).toMatch(/length 3/);
    expect(mismatch({ type: "string", value: "x", extra: 1 }, { type: "string", value: "x" })).toBeNull();
    expect(mismatch({ type: "string", value: "y" }, { type: "string", value: "x" })).toMatch(/\.value/);
    expect(mismatch("a", "b")).not.toBeNull();
  });
});

describe("extraction and running", () => {
  it("takes a fenced block, an inline span or the text", () => {
    expect(exampleCode("```ts\na(); // 1\n```")).toBe("a(); // 1\n");
    expect(exampleCode("`a(); // 1`")).toBe("a(); // 1");
  });
  it("rewrites statements with literal comments into checks", () => {
    const p = prepare('import { tensor as t } from "@bitnet-quantize/tensor";\nconst x = 2; // 2\nx + 1; // 3\nx; // two');
    expect(p.checks).toBe(2);
    expect([...p.declared].sort()).toEqual(["t", "x"]);
    expect(p.foreignImports).toEqual([]);
  });
  const scope = new Map<string, unknown>([["double", (n: number) => 2 * n]]);
  it("passes, fails, and says when an example needs context", async () => {
    expect(await runExample(ex("double(2); // 4"), scope, {})).toEqual({ status: "passed", checks: 1 });
    expect(await runExample(ex("double(2); // 5"), scope, {})).toMatchObject({ status: "failed", error: expect.stringMatching(/expected 5, got 4/) as unknown });
    expect(await runExample(ex("model.forward(1); // 4"), scope, {})).toEqual({ status: "context", reason: "needs model" });
    expect(await runExample(ex('import { x } from "vitest";\nx; // 1'), scope, {})).toEqual({ status: "context", reason: "imports vitest" });
    expect(await runExample(ex("JSON.parse('{'); // throws SyntaxError"), scope, {})).toEqual({ status: "passed", checks: 1 });
    expect(await runExample(ex("double(1); // throws RangeError"), scope, {})).toMatchObject({ status: "failed" });
    expect(await runExample(ex("const y = await Promise.resolve(3); // 3"), scope, {})).toEqual({ status: "passed", checks: 1 });
  });
});
