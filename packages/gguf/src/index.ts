// @bitnet-quantize/gguf: read and write GGUF files (llama.cpp's model format) over Uint8Array.
// Browser-safe: no Node imports here (file paths and the CLI are in "./node"); codecs are also in "./codecs".
export { GgufError } from "./errors.js";
export { toBytes, type BytesLike } from "./bytes.js";
export { DEFAULT_CAPS, resolveCaps, type GgufCaps } from "./caps.js";
export {
  GGML_TYPES,
  RETIRED_GGML_TYPE_IDS,
  ggmlByteLength,
  ggmlType,
  ggmlTypeById,
  isGgmlTypeName,
  type GgmlTypeInfo,
  type GgmlTypeName,
} from "./ggml-types.js";
export {
  GGUF_VALUE_TYPE_IDS,
  arr,
  bool,
  f32,
  f64,
  ggufValueTypeById,
  i16,
  i32,
  i64,
  i8,
  scalarProblem,
  str,
  u16,
  u32,
  u64,
  u8,
  type GgufArrayInputMap,
  type GgufArrayMap,
  type GgufArrayValue,
  type GgufScalarMap,
  type GgufScalarType,
  type GgufScalarValue,
  type GgufValue,
  type GgufValueType,
} from "./metadata.js";
export { GGUF_DEFAULT_ALIGNMENT, parseGguf, type GgufFile, type GgufReadOptions, type GgufTensorInfo } from "./reader.js";
export { dequantize, findTensor, tensorData } from "./tensor-data.js";
export { canSwapTensorBytes, swapTensorBytes } from "./byte-order.js";
export {
  writeGguf,
  type GgufMetadataInput,
  type GgufTensorBytes,
  type GgufTensorInput,
  type GgufTensorValues,
  type GgufWriteInput,
} from "./writer.js";
export { GgufBuilder, type GgufBuilderOptions } from "./builder.js";
export { blobSource, readGgufHeader, type GgufStreamOptions, type RandomAccessSource } from "./streaming.js";
export { formatBytes, formatGgufText, ggufToJson, type InspectOptions, type JsonValue } from "./inspect.js";
