// Plugin discovery: which file each platform would load and why, over fake trees of dummy files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  cacheLayout,
  defaultCacheDir,
  defaultPlatformOrder,
  findPlugin,
  loadPins,
  selectCpuPin,
  selectedPlatforms,
  sitePackagesDirs,
} from '../../lib/runtime/discovery.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'jaxts-discovery-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Creates a dummy file (and its folders) under the temp root; returns its path. */
function touch(relative: string): string {
  const path = join(root, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'not really a plugin');
  return path;
}

// No env, an empty cache and no site-packages unless a test adds them.
const base = () => ({ env: {}, cacheDir: join(root, 'cache'), sitePackages: [] as string[] });

describe('findPlugin order', () => {
  test('an explicit path wins over env, cache and site-packages', () => {
    const explicit = touch('mine/plugin.so');
    const fromEnv = touch('env/plugin.so');
    touch('cache/plugins/lammps-jax-pjrt-cpu-0.11.2/pjrt_c_api_cpu_plugin.so');
    expect(findPlugin('cpu', { ...base(), path: explicit, env: { JAXTS_PLUGIN_CPU: fromEnv } })).toEqual({ platform: 'cpu', path: explicit, source: 'option' });
  });

  test('JAXTS_PLUGIN_<PLATFORM> wins over the cache', () => {
    const fromEnv = touch('env/plugin.so');
    touch('cache/plugins/lammps-jax-pjrt-cpu-0.11.2/pjrt_c_api_cpu_plugin.so');
    expect(findPlugin('cpu', { ...base(), env: { JAXTS_PLUGIN_CPU: fromEnv } })).toEqual({ platform: 'cpu', path: fromEnv, source: 'env' });
  });

  test('the cache wins over site-packages', () => {
    const cached = touch('cache/plugins/cuda13-0.11.2/jax_plugins/xla_cuda13/xla_cuda_plugin.so');
    touch('site/jax_plugins/xla_cuda13/xla_cuda_plugin.so');
    expect(findPlugin('cuda', { ...base(), sitePackages: [join(root, 'site')] })).toEqual({ platform: 'cuda', path: cached, source: 'cache' });
  });

  test('nothing anywhere is null, not an error', () => {
    for (const platform of ['cpu', 'cuda', 'tpu'] as const) expect(findPlugin(platform, base())).toBeNull();
  });
});

describe('findPlugin errors', () => {
  test('an env path that does not exist is an error naming the variable', () => {
    const env = { JAXTS_PLUGIN_CUDA: join(root, 'missing.so') };
    expect(() => findPlugin('cuda', { ...base(), env })).toThrow(/JAXTS_PLUGIN_CUDA=.*missing\.so does not exist/);
  });

  test('an option path that does not exist is an error', () => {
    expect(() => findPlugin('cpu', { ...base(), path: join(root, 'nope.so') })).toThrow(/no cpu PJRT plugin at .*nope\.so/);
  });

  test('an unknown JAXTS_CPU_PLUGIN lists the pinned packages', () => {
    expect(() => findPlugin('cpu', { ...base(), env: { JAXTS_CPU_PLUGIN: 'nope' } })).toThrow(/unknown CPU plugin package 'nope' \(from JAXTS_CPU_PLUGIN\).*lammps-jax-pjrt-cpu, xla-cpu-pjrt/);
  });
});

describe('findPlugin per platform', () => {
  test('cpu: the default pin from plugins.json, or the package JAXTS_CPU_PLUGIN selects', () => {
    const lammps = touch('cache/plugins/lammps-jax-pjrt-cpu-0.11.2/pjrt_c_api_cpu_plugin.so');
    const xla = touch('cache/plugins/xla-cpu-pjrt-0.0.1/xla_cpu_pjrt.so');
    expect(findPlugin('cpu', base())?.path).toBe(lammps);
    expect(findPlugin('cpu', { ...base(), env: { JAXTS_CPU_PLUGIN: 'xla-cpu-pjrt' } })?.path).toBe(xla);
    expect(findPlugin('cpu', { ...base(), package: 'xla-cpu-pjrt' })?.path).toBe(xla);
  });

  test('cpu: a pinned wheel installed by pip into site-packages', () => {
    const installed = touch('site/lammps_jax_pjrt_cpu/pjrt_c_api_cpu_plugin.so');
    expect(findPlugin('cpu', { ...base(), sitePackages: [join(root, 'site')] })).toEqual({ platform: 'cpu', path: installed, source: 'site-packages' });
  });

  test('cuda: the cuda13 install before cuda12 in the cache', () => {
    touch('cache/plugins/cuda12-0.11.2/jax_plugins/xla_cuda12/xla_cuda_plugin.so');
    expect(findPlugin('cuda', base())?.path).toMatch(/cuda12-0\.11\.2/);
    touch('cache/plugins/cuda13-0.11.2/jax_plugins/xla_cuda13/xla_cuda_plugin.so');
    expect(findPlugin('cuda', base())?.path).toMatch(/cuda13-0\.11\.2/);
  });

  test('cuda: the highest xla_cuda<N> across site-packages, then folder order', () => {
    touch('a/jax_plugins/xla_cuda12/xla_cuda_plugin.so');
    const newest = touch('b/jax_plugins/xla_cuda13/xla_cuda_plugin.so');
    touch('c/jax_plugins/xla_cuda13/xla_cuda_plugin.so');
    const sitePackages = ['a', 'b', 'c'].map((d) => join(root, d));
    expect(findPlugin('cuda', { ...base(), sitePackages })).toEqual({ platform: 'cuda', path: newest, source: 'site-packages' });
  });

  test('cuda: a plugin folder without its .so is skipped', () => {
    mkdirSync(join(root, 'a/jax_plugins/xla_cuda13'), { recursive: true });
    const cuda12 = touch('a/jax_plugins/xla_cuda12/xla_cuda_plugin.so');
    expect(findPlugin('cuda', { ...base(), sitePackages: [join(root, 'a')] })?.path).toBe(cuda12);
  });

  test('tpu: JAXTS_PLUGIN_TPU, then TPU_LIBRARY_PATH, then libtpu in site-packages', () => {
    const inSite = touch('site/libtpu/libtpu.so');
    const viaJax = touch('elsewhere/libtpu.so');
    const ours = touch('ours/libtpu.so');
    const sitePackages = [join(root, 'site')];
    expect(findPlugin('tpu', { ...base(), sitePackages })).toEqual({ platform: 'tpu', path: inSite, source: 'site-packages' });
    expect(findPlugin('tpu', { ...base(), sitePackages, env: { TPU_LIBRARY_PATH: viaJax } })).toEqual({ platform: 'tpu', path: viaJax, source: 'env' });
    expect(findPlugin('tpu', { ...base(), sitePackages, env: { TPU_LIBRARY_PATH: viaJax, JAXTS_PLUGIN_TPU: ours } })?.path).toBe(ours);
  });
});

describe('cache layout', () => {
  test('JAXTS_CACHE_DIR, else XDG_CACHE_HOME/jaxts, else ~/.cache/jaxts', () => {
    expect(defaultCacheDir({ JAXTS_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/c');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/jaxts');
    expect(defaultCacheDir({ HOME: '/h' })).toBe('/h/.cache/jaxts');
  });

  test('<cache>/plugins/<name>-<version>/ holds the plugin', () => {
    expect(cacheLayout('cpu', '/c', { env: {} })).toEqual({
      name: 'lammps-jax-pjrt-cpu',
      version: '0.11.2',
      dir: '/c/plugins/lammps-jax-pjrt-cpu-0.11.2',
      path: '/c/plugins/lammps-jax-pjrt-cpu-0.11.2/pjrt_c_api_cpu_plugin.so',
    });
    expect(cacheLayout('tpu', '/c').path).toBe('/c/plugins/tpu-0.0.48.1/libtpu/libtpu.so');
    expect(cacheLayout('cuda13', '/c').path).toBe('/c/plugins/cuda13-0.11.2/jax_plugins/xla_cuda13/xla_cuda_plugin.so');
  });

  test('plugins.json pins one default CPU wheel with a sha256 each, and exact GPU/TPU sets', () => {
    const pins = loadPins();
    expect(pins.cpu.filter((p) => p.default).map((p) => p.package)).toEqual(['lammps-jax-pjrt-cpu']);
    for (const pin of pins.cpu) expect(pin.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(selectCpuPin(pins, undefined, {}).package).toBe('lammps-jax-pjrt-cpu');
    for (const target of ['cuda12', 'cuda13', 'tpu'] as const) {
      for (const requirement of pins[target].requirements) expect(requirement).toMatch(/^[a-z0-9-]+==[0-9.]+$/);
    }
    expect(pins.cuda13.requirements).toContain('jax-cuda13-pjrt==0.11.2');
  });
});

describe('site-packages folders', () => {
  test('$VIRTUAL_ENV first; a missing Python is tolerated', () => {
    const venv = join(root, 'venv');
    mkdirSync(join(venv, 'lib/python3.12/site-packages'), { recursive: true });
    const env = { VIRTUAL_ENV: venv, JAXTS_PYTHON: join(root, 'no-python') };
    expect(sitePackagesDirs(env)).toEqual([join(venv, 'lib/python3.12/site-packages')]);
  });
});

describe('JAXTS_PLATFORMS', () => {
  test('unset or empty selects nothing, and the default order prefers accelerators', () => {
    expect(selectedPlatforms({})).toBeNull();
    expect(selectedPlatforms({ JAXTS_PLATFORMS: ' ' })).toBeNull();
    expect(defaultPlatformOrder({})).toEqual(['tpu', 'cuda', 'cpu']);
  });

  test('a comma list keeps its order; gpu is cuda; case and spaces are ignored', () => {
    expect(selectedPlatforms({ JAXTS_PLATFORMS: 'cpu' })).toEqual(['cpu']);
    expect(selectedPlatforms({ JAXTS_PLATFORMS: 'cuda,cpu' })).toEqual(['cuda', 'cpu']);
    expect(selectedPlatforms({ JAXTS_PLATFORMS: ' GPU , cpu,gpu' })).toEqual(['cuda', 'cpu']);
    expect(defaultPlatformOrder({ JAXTS_PLATFORMS: 'cpu,tpu' })).toEqual(['cpu', 'tpu']);
  });

  test('unknown names are an error naming them', () => {
    expect(() => selectedPlatforms({ JAXTS_PLATFORMS: 'cpu,metal,rocm' })).toThrow(/unknown platform\(s\) 'metal', 'rocm'/);
  });
});
