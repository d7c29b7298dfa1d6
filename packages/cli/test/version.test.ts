// VERSION, held equal to package.json's (bump both together).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VERSION } from "@bitnet-quantize/cli";

describe("VERSION", () => {
  it("equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: unknown };
    expect(VERSION).toBe(pkg.version);
  });
});
