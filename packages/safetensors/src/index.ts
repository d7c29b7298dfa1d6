// @bitnet-quantize/safetensors: read and write safetensors files (Hugging Face's tensor format) over Uint8Array.
// Browser-safe: no Node imports here (file paths are in "./node").
export { VERSION } from "./version.js";
export { SafetensorsError, type SafetensorsErrorKind } from "./errors.js";
export { toBytes, type BytesLike } from "./bytes.js";
export { DEFAULT_SAFETENSORS_CAPS, resolveSafetensorsCaps, type SafetensorsCaps } from "./caps.js";
export { SAFETENSORS_DTYPES, isSafetensorsDtype, safetensorsDtype, type SafetensorsDtype, type SafetensorsDtypeInfo } from "./dtypes.js";
export {
  parseSafetensors,
  parseSafetensorsHeader,
  safetensorsHeaderLength,
  type SafetensorsFile,
  type SafetensorsHeader,
  type SafetensorsReadOptions,
  type SafetensorsTensorInfo,
} from "./reader.js";
export { findTensor, tensorArray, tensorBytes, tensorToFloat32, type SafetensorsArray } from "./tensor-data.js";
export {
  encodeFloats,
  planSafetensors,
  writeSafetensors,
  type SafetensorsPlan,
  type SafetensorsPlannedTensor,
  type SafetensorsTensorInput,
  type SafetensorsWriteInput,
} from "./writer.js";
export { bf16BitsToNumber, f16BitsToNumber, numberToBf16Bits, numberToF16Bits } from "./half.js";
export { formatSafetensorsIndex, parseSafetensorsIndex, shardFileName, type SafetensorsIndex } from "./sharded.js";
