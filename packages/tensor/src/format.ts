// Turning tensors into text: PyTorch-like `tensor([[1, 2], [3, 4]])`, with
// long dimensions abbreviated.

/** A nested array of numbers, as `toArray()` returns. */
export type NestedArray = number | NestedArray[];

/**
 * Builds nested arrays from row-major data and a shape.
 *
 * @example
 * ```ts
 * nest(new Float32Array([1, 2, 3, 4]), [2, 2]); // [[1, 2], [3, 4]]
 * ```
 */
export function nest(data: ArrayLike<number>, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return data[0];
  const build = (dim: number, start: number): NestedArray[] => {
    const size = shape[dim];
    let step = 1;
    for (let d = dim + 1; d < shape.length; d++) step *= shape[d];
    const out: NestedArray[] = [];
    for (let i = 0; i < size; i++) {
      out.push(dim === shape.length - 1 ? data[start + i] : build(dim + 1, start + i * step));
    }
    return out;
  };
  return build(0, 0);
}

function fmtNumber(v: number, isFloat: boolean): string {
  if (!isFloat) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return `${v}.`;
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(4) : String(Number(v.toPrecision(5)));
}

/**
 * Formats row-major data as PyTorch does, showing at most `edge` items at
 * each end of a long dimension.
 *
 * @example
 * ```ts
 * formatTensor(new Float32Array([1, 2]), [2], true); // "tensor([1., 2.])"
 * ```
 */
export function formatTensor(data: ArrayLike<number>, shape: readonly number[], isFloat: boolean, suffix = "", edge = 3): string {
  const strides: number[] = [];
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  const rec = (dim: number, start: number, indent: string): string => {
    if (dim === shape.length) return fmtNumber(data[start], isFloat);
    const size = shape[dim];
    const idx: (number | null)[] = [];
    if (size > 2 * edge + 1) {
      for (let i = 0; i < edge; i++) idx.push(i);
      idx.push(null);
      for (let i = size - edge; i < size; i++) idx.push(i);
    } else for (let i = 0; i < size; i++) idx.push(i);
    const parts = idx.map((i) => (i === null ? "..." : rec(dim + 1, start + i * strides[dim], `${indent} `)));
    const sep = dim === shape.length - 1 ? ", " : `,\n${"\n".repeat(Math.max(0, shape.length - dim - 2))}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  return `tensor(${rec(0, 0, "       ")}${suffix})`;
}
