// Python-parity cases of the parallel family (scripts/parity/cases/parallel.json): collectives and
// pmap over 4 CPU devices, as the fixtures were made (XLA_FLAGS=--xla_force_host_platform_device_count=4).
// The device count must be set before anything creates the CPU backend: only the registry is
// imported statically; the runner (and through it the library) loads after configureBackends.
import { configureBackends, getBackend } from '../../lib/runtime/registry.js';

configureBackends({ cpuDeviceCount: 4 });
const { runFamily } = await import('./runner.js');

test('the CPU backend has 4 devices', () => expect(getBackend('cpu').devices.length).toBe(4));

runFamily('parallel');
