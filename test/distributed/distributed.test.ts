// distributed.initialize: JAX's argument checks, the single-process run, and the clear refusal
// of several processes (docs/multihost.md). This file's modules are fresh (jest), so no backend
// exists before the first test.
import { distributed, processCount, processIndex, devices } from '../../lib/index.js';
import { resolveDistributedOptions } from '../../lib/distributed/options.js';
import { clientCreateOptions } from '../../lib/runtime/backend.js';

test("options are checked with JAX's messages, environment values filling the gaps", () => {
  expect(() => resolveDistributedOptions({}, {})).toThrow('coordinator_address should be defined.');
  expect(() => resolveDistributedOptions({ coordinatorAddress: 'h:1' }, {})).toThrow('Number of processes must be defined.');
  expect(() => resolveDistributedOptions({ coordinatorAddress: 'h:1', numProcesses: 2 }, {})).toThrow('The process id of the current process must be defined.');
  expect(() => resolveDistributedOptions({ coordinatorAddress: 'h:1', numProcesses: 2, processId: 2 }, {})).toThrow(
    'process_id and num_processes must be nonnegative, with process_id < num_processes. Got process_id=2, num_processes=2.',
  );
  expect(() => resolveDistributedOptions({ coordinatorAddress: 'h:1', numProcesses: 2, processId: 0.5 }, {})).toThrow('process_id must be a nonnegative int. Got process_id=0.5 of type number.');
  expect(() => resolveDistributedOptions({ coordinatorAddress: 'nohost', numProcesses: 1, processId: 0 }, {})).toThrow("coordinator_address must be host:port, got 'nohost'");
  const env = { JAX_COORDINATOR_ADDRESS: '10.0.0.1:1234', JAXTS_NUM_PROCESSES: '4', JAXTS_PROCESS_ID: '3', JAX_LOCAL_DEVICE_IDS: '0,1' };
  expect(resolveDistributedOptions({}, env)).toEqual({
    coordinatorAddress: '10.0.0.1:1234',
    coordinatorBindAddress: '[::]:1234',
    numProcesses: 4,
    processId: 3,
    localDeviceIds: [0, 1],
    initializationTimeout: 300,
  });
  expect(resolveDistributedOptions({ processId: 1, localDeviceIds: 5 }, env)).toMatchObject({ processId: 1, localDeviceIds: [5] });
});

test("a process's place reaches the GPU plugin's create options", () => {
  const opts = clientCreateOptions('cuda', { process: { processId: 1, numProcesses: 2, localDeviceIds: [2, 3] } });
  expect(opts).toContainEqual({ name: 'node_id', type: 'int64', value: 1 });
  expect(opts).toContainEqual({ name: 'num_nodes', type: 'int64', value: 2 });
  expect(opts).toContainEqual({ name: 'visible_devices', type: 'int64list', value: [2, 3] });
  expect(clientCreateOptions('cpu', { process: { processId: 0, numProcesses: 1, localDeviceIds: null } })).toEqual([{ name: 'cpu_device_count', type: 'int64', value: 1 }]);
});

test('several processes are refused clearly; one process runs; initialize comes first and once', () => {
  expect(distributed.isInitialized()).toBe(false);
  expect([processIndex(), processCount()]).toEqual([0, 1]);
  expect(() => distributed.initialize({ coordinatorAddress: 'localhost:7777', numProcesses: 2, processId: 0 })).toThrow(
    'multi-process runs (num_processes=2) are not supported by jaxts yet',
  );
  expect(distributed.isInitialized()).toBe(false);
  distributed.initialize({ coordinatorAddress: 'localhost:7777', numProcesses: 1, processId: 0 });
  expect(distributed.isInitialized()).toBe(true);
  expect([processIndex(), processCount()]).toEqual([0, 1]);
  expect(() => distributed.initialize({ coordinatorAddress: 'localhost:7777', numProcesses: 1, processId: 0 })).toThrow('distributed.initialize should only be called once.');
  expect(devices().map((d) => d.processIndex)).toEqual([0]);
  distributed.shutdown();
  expect(distributed.isInitialized()).toBe(false);
  expect(() => distributed.initialize({ coordinatorAddress: 'localhost:7777', numProcesses: 1, processId: 0 })).toThrow(
    'distributed.initialize() must be called before any jaxts calls that might initialise the XLA backend',
  );
});
