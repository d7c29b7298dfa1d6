// CPU elementwise kernels over row-major typed arrays of equal length.
// One loop per op, so that each loop stays monomorphic and fast.
import type { BinaryOp, UnaryOp } from "../backend.js";
import type { TypedArray } from "../dtype.js";
import { roundHalfEven } from "../rounding.js";

/** `out[i] = op(x[i])` for i < out.length. */
export function unaryKernel(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  const n = out.length;
  switch (op) {
    case "neg":
      for (let i = 0; i < n; i++) out[i] = -(x[i] as number);
      return;
    case "abs":
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i] as number);
      return;
    case "sign":
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        out[i] = v > 0 ? 1 : v < 0 ? -1 : v; // keeps 0, -0 and NaN
      }
      return;
    case "exp":
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i] as number);
      return;
    case "log":
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i] as number);
      return;
    case "sqrt":
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i] as number);
      return;
    case "rsqrt":
      for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(x[i] as number);
      return;
    case "sin":
      for (let i = 0; i < n; i++) out[i] = Math.sin(x[i] as number);
      return;
    case "cos":
      for (let i = 0; i < n; i++) out[i] = Math.cos(x[i] as number);
      return;
    case "tanh":
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i] as number);
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        // stable on both sides: never exp of a large positive number
        out[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      }
      return;
    case "relu":
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        out[i] = v > 0 ? v : v !== v ? v : 0;
      }
      return;
    case "round":
      for (let i = 0; i < n; i++) out[i] = roundHalfEven(x[i] as number);
      return;
    case "floor":
      for (let i = 0; i < n; i++) out[i] = Math.floor(x[i] as number);
      return;
    case "ceil":
      for (let i = 0; i < n; i++) out[i] = Math.ceil(x[i] as number);
      return;
  }
}

/** `out[i] = op(a[i], b[i])` for i < out.length. Comparisons write 1 or 0. */
export function binaryKernel(op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray): void {
  const n = out.length;
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) + (b[i] as number);
      return;
    case "sub":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) - (b[i] as number);
      return;
    case "mul":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) * (b[i] as number);
      return;
    case "div":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) / (b[i] as number);
      return;
    case "pow":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) ** (b[i] as number);
      return;
    case "maximum":
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        out[i] = x !== x || y !== y ? NaN : x > y ? x : y;
      }
      return;
    case "minimum":
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        out[i] = x !== x || y !== y ? NaN : x < y ? x : y;
      }
      return;
    case "eq":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) === (b[i] as number) ? 1 : 0;
      return;
    case "ne":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) !== (b[i] as number) ? 1 : 0;
      return;
    case "lt":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) < (b[i] as number) ? 1 : 0;
      return;
    case "gt":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) > (b[i] as number) ? 1 : 0;
      return;
    case "le":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) <= (b[i] as number) ? 1 : 0;
      return;
    case "ge":
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) >= (b[i] as number) ? 1 : 0;
      return;
  }
}
