// Encodes xla.CompileOptionsProto from proto/compile_options.proto with protobufjs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export interface CompileOptions {
  /** Replicas (SPMD over devices with replica ids, as pmap uses). Default 1. */
  numReplicas?: number;
  /** Partitions (SPMD partitioner). Default 1. */
  numPartitions?: number;
  /**
   * Global device ids as `[replica][partition]` (JAX's device_assignment layout). Default:
   * chosen by the plugin (device 0 for one replica).
   */
  deviceAssignment?: number[][];
  useSpmdPartitioning?: boolean;
  useShardyPartitioner?: boolean;
  allowSpmdShardingPropagationToOutput?: boolean[];
  allowSpmdShardingPropagationToParameters?: boolean[];
  /** Compile for any single device, chosen at execute time. */
  portable?: boolean;
  /** XLA option overrides by name, e.g. `{ xla_cpu_enable_fast_math: false }` (on top of DEFAULT_XLA_OPTIONS). */
  xlaOptions?: Record<string, string | number | boolean>;
}

const protoPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'proto', 'compile_options.proto');
let compileOptionsType: protobuf.Type | undefined;

function messageType(): protobuf.Type {
  compileOptionsType ??= protobuf.loadSync(protoPath).lookupType('xla.CompileOptionsProto');
  return compileOptionsType;
}

function positiveInt(value: number | undefined, name: string): number {
  const v = value ?? 1;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`compile options: ${name} must be a positive integer, got ${value}`);
  return v;
}

/** Checks the options and returns them with defaults filled in. */
export function normalizeCompileOptions(options: CompileOptions = {}): CompileOptions {
  const numReplicas = positiveInt(options.numReplicas, 'numReplicas');
  const numPartitions = positiveInt(options.numPartitions, 'numPartitions');
  const assignment = options.deviceAssignment;
  if (assignment) {
    if (assignment.length !== numReplicas || assignment.some((row) => row.length !== numPartitions)) {
      throw new RangeError(
        `compile options: deviceAssignment must be ${numReplicas} replica rows of ${numPartitions} device ids, ` +
          `got ${JSON.stringify(assignment)}`,
      );
    }
    const flat = assignment.flat();
    if (flat.some((id) => !Number.isInteger(id) || id < 0)) {
      throw new RangeError(`compile options: deviceAssignment holds invalid device ids ${JSON.stringify(assignment)}`);
    }
    if (new Set(flat).size !== flat.length) {
      throw new RangeError(`compile options: deviceAssignment uses a device twice: ${JSON.stringify(assignment)}`);
    }
  }
  return { ...options, numReplicas, numPartitions };
}

/**
 * XLA options JAX sets on every compile: its CPU and GPU defaults turn on "fast" min/max,
 * which drops NaN (max(1, NaN) = 1) where JAX and NumPy propagate it.
 */
export const DEFAULT_XLA_OPTIONS: Readonly<Record<string, boolean>> = {
  xla_cpu_enable_fast_min_max: false,
  xla_gpu_enable_fast_min_max: false,
};

/** The serialized CompileOptionsProto for `options`. */
export function encodeCompileOptions(options: CompileOptions = {}): Uint8Array {
  const o = normalizeCompileOptions(options);
  const build: Record<string, unknown> = {
    deviceOrdinal: -1,
    numReplicas: o.numReplicas,
    numPartitions: o.numPartitions,
  };
  if (o.useSpmdPartitioning) build.useSpmdPartitioning = true;
  if (o.useShardyPartitioner) build.useShardyPartitioner = true;
  if (o.allowSpmdShardingPropagationToOutput) build.allowSpmdShardingPropagationToOutput = o.allowSpmdShardingPropagationToOutput;
  if (o.allowSpmdShardingPropagationToParameters) {
    build.allowSpmdShardingPropagationToParameters = o.allowSpmdShardingPropagationToParameters;
  }
  if (o.deviceAssignment) {
    const replicas = o.numReplicas!;
    const partitions = o.numPartitions!;
    build.deviceAssignment = {
      replicaCount: replicas,
      computationCount: partitions,
      computationDevices: Array.from({ length: partitions }, (_, p) => ({
        replicaDeviceIds: Array.from({ length: replicas }, (_, r) => o.deviceAssignment![r]![p]!),
      })),
    };
  }
  const message: Record<string, unknown> = { executableBuildOptions: build };
  if (o.portable) message.compilePortableExecutable = true;
  {
    const overrides: Record<string, unknown> = {};
    for (const [name, value] of Object.entries({ ...DEFAULT_XLA_OPTIONS, ...o.xlaOptions })) {
      if (typeof value === 'string') overrides[name] = { stringField: value };
      else if (typeof value === 'boolean') overrides[name] = { boolField: value };
      else if (Number.isInteger(value)) overrides[name] = { intField: value };
      else overrides[name] = { doubleField: value };
    }
    message.envOptionOverrides = overrides;
  }
  const type = messageType();
  const error = type.verify(message);
  if (error) throw new TypeError(`compile options: ${error}`);
  return type.encode(type.fromObject(message)).finish();
}

/** Decodes a serialized CompileOptionsProto (for tests and diagnostics). */
export function decodeCompileOptions(bytes: Uint8Array): Record<string, unknown> {
  const type = messageType();
  return type.toObject(type.decode(bytes), { longs: Number, defaults: false }) as Record<string, unknown>;
}
