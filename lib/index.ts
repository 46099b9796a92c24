// jaxts: JAX for TypeScript.
import './interpreters/eval.js';
import './numpy/array_methods.js';

export * as numpy from './numpy/index.js';
export * as lax from './lax/index.js';
export * as tree from './core/pytree.js';
export * as random from './random/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export { Array, type ArrayLike } from './core/array.js';
export { config } from './core/config.js';
export { memory, tidy, type MemoryReport } from './core/memory.js';
export { ClosedJaxpr, Jaxpr } from './core/jaxpr.js';
export { jit, makeJaxpr, evalShape, type JitOptions, type JitStats, type Jitted, type ShapeDtypeStruct } from './api/jit.js';
export { grad, valueAndGrad, jvp, vjp, linearize, linearTranspose, jacfwd, jacrev, jacobian, hessian, stopGradient, type GradOptions, type Arrays, type Args } from './api/grad.js';
export { vmap, type VmapOptions } from './api/vmap.js';
export { pmap, type PmapOptions } from './api/pmap.js';
export * from './sharding/index.js';
export * as distributed from './distributed/index.js';
export { processIndex, processCount } from './distributed/index.js';
export { customJvp, customVjp, type CustomJvp, type CustomVjp, type CustomDerivativeOptions } from './api/custom_derivatives.js';
export { checkpoint, remat, checkpointPolicies, CheckpointPolicy, type CheckpointOptions } from './api/checkpoint.js';

export { Backend, clientCreateOptions, type BackendOptions, type CompileRequest, type Platform } from './runtime/backend.js';
export { encodeCompileOptions, decodeCompileOptions, type CompileOptions } from './runtime/compile_options.js';
export { Device, type MemoryStats } from './runtime/device.js';
export { DeviceBuffer } from './runtime/device_buffer.js';
export { ELEMENT_TYPES, type ElementType, type HostArray } from './runtime/element_types.js';
export { PjrtError, type PjrtErrorCode } from './runtime/errors.js';
export { Executable, type Dispatch, type ExecuteOptions } from './runtime/executable.js';
export { parseMainSignature, type ProgramSignature, type TensorType } from './runtime/mlir_signature.js';
export { findPlugin, selectedPlatforms, type PluginLocation } from './runtime/discovery.js';
export { installPlugin, installPluginSync, type InstallOptions, type InstallProgress } from './runtime/install.js';
export {
  backends,
  configureBackends,
  defaultBackend,
  defaultBackendName,
  devices,
  getBackend,
  type BackendConfig,
} from './runtime/registry.js';

import { ArrayImpl } from './core/array_impl.js';
import * as tree_ from './core/pytree.js';
const tree = tree_;
/** Waits until every array in the pytree `x` is computed; returns `x`. */
export async function blockUntilReady<T>(x: T): Promise<T> {
  await Promise.all(tree.leaves(x).map((l) => (l instanceof ArrayImpl ? l.blockUntilReady() : undefined)));
  return x;
}
