// WebGPU's numeric flag constants, spelled out so that the package works where
// the GPUBufferUsage/GPUMapMode/GPUShaderStage globals are not installed (Node).

/** `GPUBufferUsage` flags used here. */
export const BufferUsage = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80, QUERY_RESOLVE: 0x200 } as const;

/** `GPUMapMode.READ`. */
export const MAP_MODE_READ = 0x1;

/** `GPUShaderStage.COMPUTE`. */
export const SHADER_STAGE_COMPUTE = 0x4;
