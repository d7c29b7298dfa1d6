// Every elementwise tensor primitive has a decided gradient: the tables are
// keyed by the tensor unions (a missing member fails tsc), and each op they
// name is swept by gradcheck through OPS.
import { describe, expect, it } from "vitest";
import { BINARY_OP_NAMES, UNARY_OP_NAMES } from "@bitnet-quantize/tensor";
import { BINARY_GRADIENTS, type CoveredOp, OPS, UNARY_GRADIENTS } from "@bitnet-quantize/autograd/testing";

describe("primitive gradients", () => {
  it("name an op in OPS for every differentiable primitive", () => {
    const covered = new Set<CoveredOp>(OPS.flatMap((e) => e.covers));
    const named: CoveredOp[] = [
      ...UNARY_OP_NAMES.map((op) => UNARY_GRADIENTS[op]),
      ...BINARY_OP_NAMES.map((op) => BINARY_GRADIENTS[op]),
    ].filter((op): op is NonNullable<typeof op> => op !== null);
    expect(named.length).toBe(19);
    expect(named.filter((op) => !covered.has(op)).map((op) => op.name)).toEqual([]);
  });
});
