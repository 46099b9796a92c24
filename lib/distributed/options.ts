// jax.distributed.initialize's arguments: explicit values first, then the environment, checked
// with JAX's messages.

export interface DistributedOptions {
  /** `host:port` of process 0's coordination service (env JAXTS_COORDINATOR_ADDRESS or JAX_COORDINATOR_ADDRESS). */
  coordinatorAddress?: string;
  /** How many processes take part (env JAXTS_NUM_PROCESSES). */
  numProcesses?: number;
  /** This process's index, 0 ≤ processId < numProcesses (env JAXTS_PROCESS_ID). */
  processId?: number;
  /** The accelerators this process drives (env JAX_LOCAL_DEVICE_IDS, comma-separated). */
  localDeviceIds?: number | number[];
  /** Seconds to wait for every process to connect. Default 300. */
  initializationTimeout?: number;
  /** Where process 0's service listens. Default `[::]:<the coordinator's port>`. */
  coordinatorBindAddress?: string;
}

export interface ResolvedDistributedOptions {
  coordinatorAddress: string;
  coordinatorBindAddress: string;
  numProcesses: number;
  processId: number;
  localDeviceIds: number[] | null;
  initializationTimeout: number;
}

type Env = Record<string, string | undefined>;

function intFromEnv(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new TypeError(`${name} must be an integer, got '${raw}'`);
  return value;
}

const describe = (x: unknown): string => `${String(x)} of type ${x === null ? 'null' : typeof x}`;

/** The options of `distributed.initialize` with the environment's values filled in, or JAX's error. */
export function resolveDistributedOptions(options: DistributedOptions, env: Env = process.env): ResolvedDistributedOptions {
  const coordinatorAddress = options.coordinatorAddress ?? env.JAXTS_COORDINATOR_ADDRESS ?? env.JAX_COORDINATOR_ADDRESS;
  const numProcesses = options.numProcesses ?? intFromEnv(env, 'JAXTS_NUM_PROCESSES');
  const processId = options.processId ?? intFromEnv(env, 'JAXTS_PROCESS_ID');
  let localDeviceIds: number[] | null = null;
  if (typeof options.localDeviceIds === 'number') localDeviceIds = [options.localDeviceIds];
  else if (options.localDeviceIds) localDeviceIds = [...options.localDeviceIds];
  else if (env.JAX_LOCAL_DEVICE_IDS) localDeviceIds = env.JAX_LOCAL_DEVICE_IDS.split(',').map(Number);

  if (!coordinatorAddress) throw new Error('coordinator_address should be defined.');
  if (numProcesses === undefined) throw new Error('Number of processes must be defined.');
  if (processId === undefined) throw new Error('The process id of the current process must be defined.');
  if (!Number.isInteger(processId)) throw new TypeError(`process_id must be a nonnegative int. Got process_id=${describe(processId)}.`);
  if (!Number.isInteger(numProcesses)) throw new TypeError(`num_processes must be a positive int. Got num_processes=${describe(numProcesses)}.`);
  if (!(processId >= 0 && processId < numProcesses)) {
    throw new RangeError(`process_id and num_processes must be nonnegative, with process_id < num_processes. Got process_id=${processId}, num_processes=${numProcesses}.`);
  }
  const port = /:(\d+)$/.exec(coordinatorAddress)?.[1];
  if (!port) throw new Error(`coordinator_address must be host:port, got '${coordinatorAddress}'`);
  if (localDeviceIds && localDeviceIds.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`local_device_ids must be nonnegative ints, got ${JSON.stringify(localDeviceIds)}`);
  }
  const initializationTimeout = options.initializationTimeout ?? 300;
  if (!(initializationTimeout > 0)) throw new RangeError(`initialization_timeout must be positive, got ${initializationTimeout}`);
  return {
    coordinatorAddress,
    coordinatorBindAddress: options.coordinatorBindAddress ?? env.JAX_COORDINATOR_BIND_ADDRESS ?? `[::]:${port}`,
    numProcesses,
    processId,
    localDeviceIds,
    initializationTimeout,
  };
}
