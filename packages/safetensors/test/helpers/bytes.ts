// Building safetensors files by hand (header text + data), for tests that need layouts the writer never makes.

/** A file with `header` as its JSON (padded to `pad` bytes with spaces when given) followed by `data`. */
export function rawFile(header: string, data: Uint8Array = new Uint8Array(0), pad?: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const n = pad ?? json.length;
  const out = new Uint8Array(8 + n + data.length).fill(0x20, 8, 8 + n);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.set(data, 8 + n);
  return out;
}
