// CompileOptionsProto encoding: exact bytes for the defaults, and a round trip for the rest.
import { decodeCompileOptions, encodeCompileOptions } from '../../lib/runtime/compile_options.js';

test('defaults encode device_ordinal=-1, num_replicas=1, num_partitions=1, and JAX\'s NaN-propagating min/max', () => {
  const hex = Buffer.from(encodeCompileOptions()).toString('hex');
  // field 3 (build options, 15 bytes): field 1 varint -1 (10 bytes), field 4 = 1, field 5 = 1
  expect(hex.startsWith('1a0f08ffffffffffffffffff0120012801')).toBe(true);
  expect(decodeCompileOptions(encodeCompileOptions())).toEqual({
    executableBuildOptions: { deviceOrdinal: -1, numReplicas: 1, numPartitions: 1 },
    envOptionOverrides: { xla_cpu_enable_fast_min_max: { boolField: false }, xla_gpu_enable_fast_min_max: { boolField: false } },
  });
});

test('device assignment, SPMD flags and XLA overrides round-trip', () => {
  const bytes = encodeCompileOptions({
    numReplicas: 2,
    numPartitions: 2,
    deviceAssignment: [
      [0, 1],
      [2, 3],
    ],
    useSpmdPartitioning: true,
    portable: false,
    xlaOptions: { xla_cpu_enable_fast_math: false, xla_dump_to: '/tmp/x', level: 2, ratio: 0.5 },
  });
  expect(decodeCompileOptions(bytes)).toEqual({
    executableBuildOptions: {
      deviceOrdinal: -1,
      numReplicas: 2,
      numPartitions: 2,
      useSpmdPartitioning: true,
      // computation_devices[partition].replica_device_ids[replica]
      deviceAssignment: { replicaCount: 2, computationCount: 2, computationDevices: [{ replicaDeviceIds: [0, 2] }, { replicaDeviceIds: [1, 3] }] },
    },
    envOptionOverrides: {
      xla_cpu_enable_fast_min_max: { boolField: false },
      xla_gpu_enable_fast_min_max: { boolField: false },
      xla_cpu_enable_fast_math: { boolField: false },
      xla_dump_to: { stringField: '/tmp/x' },
      level: { intField: 2 },
      ratio: { doubleField: 0.5 },
    },
  });
});

test('inconsistent options are rejected with what was expected', () => {
  expect(() => encodeCompileOptions({ numReplicas: 0 })).toThrow('numReplicas must be a positive integer, got 0');
  expect(() => encodeCompileOptions({ numReplicas: 2, deviceAssignment: [[0]] })).toThrow(
    'deviceAssignment must be 2 replica rows of 1 device ids, got [[0]]',
  );
  expect(() => encodeCompileOptions({ numReplicas: 2, deviceAssignment: [[1], [1]] })).toThrow('uses a device twice');
});
