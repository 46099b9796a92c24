// The process-wide backends: created once, chosen as JAX chooses, configured from the environment.
import { cpuDeviceCountFromEnv, defaultBackend, devices, getBackend } from '../../lib/runtime/registry.js';

test('the CPU device count comes from JAXTS_CPU_DEVICE_COUNT or JAX-style XLA_FLAGS', () => {
  expect(cpuDeviceCountFromEnv({})).toBeUndefined();
  expect(cpuDeviceCountFromEnv({ JAXTS_CPU_DEVICE_COUNT: '3' })).toBe(3);
  expect(cpuDeviceCountFromEnv({ XLA_FLAGS: '--xla_cpu_foo=1 --xla_force_host_platform_device_count=8' })).toBe(8);
  expect(() => cpuDeviceCountFromEnv({ JAXTS_CPU_DEVICE_COUNT: 'two' })).toThrow(
    'JAXTS_CPU_DEVICE_COUNT must be a positive integer, got "two"',
  );
});

test('getBackend creates each backend once', () => {
  const cpu = getBackend('cpu');
  expect(getBackend('cpu')).toBe(cpu);
  expect(cpu.platform).toBe('cpu');
  expect(devices('cpu').map(String)).toEqual(cpu.devices.map(String));
  expect(cpu.apiVersion.major).toBe(0);
  expect(cpu.apiVersion.minor).toBeGreaterThanOrEqual(81);
});

test('JAXTS_PLATFORMS=cpu makes the CPU the default backend', () => {
  const saved = process.env.JAXTS_PLATFORMS;
  process.env.JAXTS_PLATFORMS = 'cpu';
  try {
    expect(defaultBackend()).toBe(getBackend('cpu'));
  } finally {
    if (saved === undefined) delete process.env.JAXTS_PLATFORMS;
    else process.env.JAXTS_PLATFORMS = saved;
  }
});

test('an unknown platform is an error naming it and the choices', () => {
  expect(() => getBackend('metal')).toThrow("Unknown backend: 'metal'; expected 'cpu', 'cuda' (or 'gpu') or 'tpu'");
});
