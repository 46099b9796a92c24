// jaxts: JAX for TypeScript.
export { Backend, clientCreateOptions, type BackendOptions, type CompileRequest, type Platform } from './runtime/backend.js';
export { encodeCompileOptions, decodeCompileOptions, type CompileOptions } from './runtime/compile_options.js';
export { Device, type MemoryStats } from './runtime/device.js';
export { DeviceBuffer } from './runtime/device_buffer.js';
export { ELEMENT_TYPES, type ElementType, type HostArray } from './runtime/element_types.js';
export { PjrtError, type PjrtErrorCode } from './runtime/errors.js';
export { Executable, type Dispatch, type ExecuteOptions } from './runtime/executable.js';
export { parseMainSignature, type ProgramSignature, type TensorType } from './runtime/mlir_signature.js';
export {
  backends,
  configureBackends,
  defaultBackend,
  defaultBackendName,
  devices,
  getBackend,
  type BackendConfig,
} from './runtime/registry.js';
