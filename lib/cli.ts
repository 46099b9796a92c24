#!/usr/bin/env node
// The `jaxts` command: fetch pinned PJRT plugins and show which plugin each platform would load.
import { PLATFORMS, findPlugin, pluginEnvVar, type InstallTarget, type Platform } from './runtime/discovery.js';
import { installPlugin, progressReporter } from './runtime/install.js';

const HELP = `Usage: jaxts <command>

Commands:
  install [cpu|cuda12|cuda13|tpu] [--package NAME] [--force] [--cache-dir DIR]
        Fetch a pinned PJRT plugin with \`python3 -m pip\` into the cache (default: cpu).
        --package picks the CPU plugin package (lammps-jax-pjrt-cpu, xla-cpu-pjrt).
  where [cpu|cuda|tpu] [--cache-dir DIR]
        Print the plugin each platform would load and where it was found.
  --help
        Show this text.

Environment:
  JAXTS_PLUGIN_CPU, JAXTS_PLUGIN_CUDA, JAXTS_PLUGIN_TPU   use this plugin file
  JAXTS_CPU_PLUGIN        the CPU plugin package to use (default: lammps-jax-pjrt-cpu)
  JAXTS_PLATFORMS         backends to use, in order, like JAX_PLATFORMS (e.g. cpu, cuda,cpu)
  JAXTS_CACHE_DIR         plugin cache (default: $XDG_CACHE_HOME/jaxts or ~/.cache/jaxts)
  JAXTS_PYTHON            the Python that runs pip (default: python3)
  JAXTS_QUIET=1           no progress output
`;

const INSTALL_TARGETS: Record<string, InstallTarget> = { cpu: 'cpu', cuda12: 'cuda12', cuda13: 'cuda13', cuda: 'cuda13', gpu: 'cuda13', tpu: 'tpu' };

class UsageError extends Error {}

/** Splits `--name value` and `--flag` options from positional arguments. */
function parse(args: string[], valued: readonly string[], flags: readonly string[]): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) positional.push(arg);
    else if (flags.includes(arg)) options.set(arg, 'true');
    else if (valued.includes(arg) && i + 1 < args.length) options.set(arg, args[++i] as string);
    else throw new UsageError(`unknown or incomplete option ${arg}`);
  }
  return { positional, options };
}

async function install(args: string[]): Promise<number> {
  const { positional, options } = parse(args, ['--package', '--cache-dir'], ['--force']);
  if (positional.length > 1) throw new UsageError(`install takes one platform, got ${positional.join(' ')}`);
  const name = positional[0] ?? 'cpu';
  const target = INSTALL_TARGETS[name];
  if (target === undefined) throw new UsageError(`unknown platform '${name}' for install; expected cpu, cuda12, cuda13 or tpu`);
  if (options.has('--package') && target !== 'cpu') throw new UsageError('--package applies to the cpu plugin only');
  const report = progressReporter();
  await installPlugin(target, {
    package: options.get('--package'),
    cacheDir: options.get('--cache-dir'),
    force: options.has('--force'),
    onProgress: (event) => {
      report(event);
      if (event.phase === 'done' && event.cached) console.error(`jaxts: already installed: ${event.path}`);
    },
  });
  return 0;
}

function where(args: string[]): number {
  const { positional, options } = parse(args, ['--cache-dir'], []);
  const named = positional.map((n) => (n === 'gpu' ? 'cuda' : n));
  const unknown = named.filter((n) => !(PLATFORMS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new UsageError(`unknown platform ${unknown.join(', ')}; expected cpu, cuda or tpu`);
  const platforms = named.length > 0 ? (named as Platform[]) : PLATFORMS;
  let missing = 0;
  let failed = 0;
  for (const platform of platforms) {
    try {
      const found = findPlugin(platform, { cacheDir: options.get('--cache-dir') });
      if (found) console.log(`${platform.padEnd(5)}${found.path}  (${found.source})`);
      else {
        missing++;
        const fix = `npx jaxts install ${platform === 'cuda' ? 'cuda13' : platform}`;
        console.log(`${platform.padEnd(5)}not found: run \`${fix}\` or set ${pluginEnvVar(platform)}`);
      }
    } catch (error) {
      failed++; // a bad setting, e.g. JAXTS_PLUGIN_CUDA naming a missing file
      console.log(`${platform.padEnd(5)}${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // Asked about specific platforms, a missing one is also a failure that scripts can test.
  return failed > 0 || (named.length > 0 && missing > 0) ? 1 : 0;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === 'install') return install(rest);
  if (command === 'where') return where(rest);
  throw new UsageError(`unknown command '${command}'`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Errors carry their own fix; a stack trace would only bury it.
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof UsageError ? `jaxts: ${message}\nRun \`jaxts --help\` for usage.` : message);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
