// jax.distributed for jaxts: one program over the devices of several processes (hosts). The
// interface is JAX's; a single process (numProcesses = 1) runs today, several processes are the
// next step: docs/multihost.md describes the design (a coordination service on process 0, PJRT's
// key-value callbacks bridged from the addon, NCCL/Gloo collectives configured by the plugin).
import { backendsCreated, configureBackends } from '../runtime/registry.js';
import { resolveDistributedOptions, type DistributedOptions, type ResolvedDistributedOptions } from './options.js';

export type { DistributedOptions, ResolvedDistributedOptions } from './options.js';
export { resolveDistributedOptions } from './options.js';

let state: ResolvedDistributedOptions | null = null;

/**
 * `distributed.initialize(options?)`, as `jax.distributed.initialize`: call it first, before
 * anything creates a backend. Options not given come from the environment (JAXTS_COORDINATOR_ADDRESS
 * or JAX_COORDINATOR_ADDRESS, JAXTS_NUM_PROCESSES, JAXTS_PROCESS_ID, JAX_LOCAL_DEVICE_IDS).
 * With numProcesses > 1 it throws: multi-process runs are not supported yet (docs/multihost.md).
 */
export function initialize(options: DistributedOptions = {}): void {
  if (backendsCreated()) {
    throw new Error(
      'distributed.initialize() must be called before any jaxts calls that might initialise the XLA backend. ' +
        'This includes any computation, but also calls to devices(), devicePut(), and others.',
    );
  }
  if (state) throw new Error('distributed.initialize should only be called once.');
  const resolved = resolveDistributedOptions(options);
  if (resolved.numProcesses > 1) {
    throw new Error(
      `distributed.initialize: multi-process runs (num_processes=${resolved.numProcesses}) are not supported by jaxts yet: ` +
        'the addon does not yet bridge PJRT\'s key-value store callbacks to a coordination service (see docs/multihost.md). ' +
        'Run one process per host with pmap/sharded jit over its local devices, or numProcesses: 1.',
    );
  }
  configureBackends({ process: { processId: resolved.processId, numProcesses: resolved.numProcesses, localDeviceIds: resolved.localDeviceIds } });
  state = resolved;
}

/** Whether `initialize` has run (and `shutdown` has not). */
export function isInitialized(): boolean {
  return state !== null;
}

/** Leaves the distributed system; does nothing when it is not running. */
export function shutdown(): void {
  state = null;
}

/** This process's index (0 without `initialize`), as `jax.process_index()`. */
export function processIndex(): number {
  return state?.processId ?? 0;
}

/** The number of processes (1 without `initialize`), as `jax.process_count()`. */
export function processCount(): number {
  return state?.numProcesses ?? 1;
}
