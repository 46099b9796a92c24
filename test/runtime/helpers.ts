// Shared fixtures for runtime tests: the real CPU plugin, with clients cached per device count.
import { Backend } from '../../lib/runtime/backend.js';
import type { HostArray } from '../../lib/runtime/element_types.js';
import { findPlugin } from '../../lib/runtime/discovery.js';
import { installPluginSync } from '../../lib/runtime/install.js';

let pluginPath: string | undefined;
const backends = new Map<number, Backend>();

export function cpuPluginPath(): string {
  pluginPath ??= findPlugin('cpu')?.path ?? installPluginSync('cpu');
  return pluginPath;
}

/** A CPU backend with `deviceCount` devices, shared by the tests of one file. */
export function cpuBackend(deviceCount = 1): Backend {
  let backend = backends.get(deviceCount);
  if (!backend) {
    backend = Backend.create('cpu', cpuPluginPath(), { cpuDeviceCount: deviceCount });
    backends.set(deviceCount, backend);
  }
  return backend;
}

/** A module as JAX emits it: `@main` with the given signature and body. */
export function program(signature: string, body: string, attrs = 'mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32'): string {
  return `module @test attributes {${attrs}} {
  func.func public @main${signature} {
${body}
  }
}`;
}

/** The elements of a host array as JS numbers (bigints converted). */
export function numbers(a: HostArray): number[] {
  return Array.from(a as ArrayLike<number | bigint>, Number);
}
