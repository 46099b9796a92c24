// The process-wide backends: discovered, created on first use, one per platform.
import { Backend, type BackendOptions, type Platform } from './backend.js';
import type { Device } from './device.js';
import { defaultPlatformOrder, findPlugin, selectedPlatforms } from './discovery.js';
import { installPluginSync } from './install.js';

export interface BackendConfig extends BackendOptions {
  /** Per-platform plugin paths (otherwise discovered). */
  pluginPaths?: Partial<Record<Platform, string>>;
}

let config: BackendConfig = {};
const created = new Map<Platform, Backend>();
const failures = new Map<Platform, Error>();

/** The CPU device count from JAXTS_CPU_DEVICE_COUNT or XLA_FLAGS' --xla_force_host_platform_device_count. */
export function cpuDeviceCountFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const direct = env.JAXTS_CPU_DEVICE_COUNT;
  const flag = /--xla_force_host_platform_device_count=(\d+)/.exec(env.XLA_FLAGS ?? '')?.[1];
  const text = direct ?? flag;
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`JAXTS_CPU_DEVICE_COUNT must be a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

/** Sets backend options; takes effect for backends not yet created. */
export function configureBackends(options: BackendConfig): void {
  config = { ...config, ...options };
  loaded = undefined;
}

// The loaded backends, found once: every eager op and pmap call asks for the default one, and
// finding plugins means scanning the file system.
let loaded: Backend[] | undefined;

function pluginPathFor(platform: Platform): string | undefined {
  const found = findPlugin(platform, { path: config.pluginPaths?.[platform] });
  if (found) return found.path;
  // The CPU plugin is fetched on first use (npm may have skipped our install script).
  if (platform === 'cpu' && process.env.JAXTS_NO_AUTO_INSTALL !== '1') return installPluginSync('cpu');
  return undefined;
}

/** Whether any backend has been created (distributed.initialize must come before). */
export function backendsCreated(): boolean {
  return created.size > 0;
}

/** The backend for `platform`, created on first use; throws when it cannot be loaded. */
export function getBackend(platform?: Platform | string): Backend {
  if (platform === undefined) return defaultBackend();
  const p = (platform === 'gpu' ? 'cuda' : platform) as Platform;
  if (!['cpu', 'cuda', 'tpu'].includes(p)) throw new Error(`Unknown backend: '${platform}'; expected 'cpu', 'cuda' (or 'gpu') or 'tpu'`);
  const existing = created.get(p);
  if (existing) return existing;
  const earlier = failures.get(p);
  if (earlier) throw earlier;
  try {
    const path = pluginPathFor(p);
    if (!path) {
      throw new Error(
        `jaxts: no PJRT plugin found for platform '${p}'. Install one with \`npx jaxts install ${p === 'cuda' ? 'cuda13' : p}\`, ` +
          `install JAX's plugin with pip, or set JAXTS_PLUGIN_${p.toUpperCase()} to its .so path.`,
      );
    }
    const backend = Backend.create(p, path, { ...config, cpuDeviceCount: config.cpuDeviceCount ?? cpuDeviceCountFromEnv() });
    created.set(p, backend);
    return backend;
  } catch (error) {
    failures.set(p, error as Error);
    throw error;
  }
}

/** Every backend that loads, in preference order (JAXTS_PLATFORMS, else TPU, GPU, CPU). */
export function backends(): Backend[] {
  return (loaded ??= loadBackends()).slice();
}

function loadBackends(): Backend[] {
  const explicit = selectedPlatforms();
  const order = defaultPlatformOrder();
  const out: Backend[] = [];
  for (const platform of order) {
    if (explicit) {
      out.push(getBackend(platform)); // a platform the user asked for must load
      continue;
    }
    if (platform !== 'cpu' && !findPlugin(platform)) continue;
    try {
      out.push(getBackend(platform));
    } catch {
      // An accelerator plugin without its hardware: fall through to the next platform, as JAX does.
    }
  }
  if (out.length === 0) getBackend('cpu'); // throws the CPU error, which says how to fix it
  return out;
}

/** The preferred backend: GPU/TPU when present, else CPU. */
export function defaultBackend(): Backend {
  return (loaded ??= loadBackends())[0]!;
}

/** The devices of `platform`, or of the default backend. */
export function devices(platform?: Platform | string): Device[] {
  return [...getBackend(platform).devices];
}

/** The platform name of the default backend, as `jax.default_backend()`. */
export function defaultBackendName(): Platform {
  return defaultBackend().platform;
}
