// jit: trace with abstract values, lower, compile, cache by signature. jit is itself a
// primitive (`pjit`) holding a closed jaxpr, so it nests and composes with other transformations.
import { Array } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import { nestedPmapAxes } from './replicas.js';
import { ShapedArray } from '../core/aval.js';
import { config } from '../core/config.js';
import { ClosedJaxpr, dce } from '../core/jaxpr.js';
import { Primitive, UndefinedPrimal, type Params } from '../core/primitive.js';
import { isEager } from '../core/trace.js';
import { flatten, unflatten, type TreeDef } from '../core/pytree.js';
import { callParams, jvpJaxpr } from '../interpreters/ad.js';
import { axisSizeOf, batchJaxpr } from '../interpreters/batching.js';
import { traceToJaxpr } from '../interpreters/partial_eval.js';
import { transposeJaxpr } from '../interpreters/transpose.js';
import { lowerModule, lowerPrivateFunction, type LoweredModule } from '../lowering/module.js';
import type { Device } from '../runtime/device.js';
import type { Executable } from '../runtime/executable.js';
import { defaultBackend } from '../runtime/registry.js';
import { asarray } from '../numpy/convert.js';
import { shardedJit, type ShardedJitOptions, type ShardedJitted } from '../sharding/sharded_jit.js';

export interface JitOptions {
  /** Positions of arguments treated as compile-time constants (hashed by value with JSON). */
  staticArgnums?: number | number[];
  /** Positions of arguments whose buffers the computation may reuse; they are consumed. */
  donateArgnums?: number | number[];
  /** A name for the compiled module (default: the function's name). */
  name?: string;
}

export interface JitStats {
  traces: number;
  compiles: number;
  hits: number;
  /** Milliseconds spent in the last trace, lowering and compilation. */
  lastTraceMs: number;
  lastLowerMs: number;
  lastCompileMs: number;
  /** Why each cache miss happened (also logged with config.explainCacheMisses). */
  misses: string[];
}

interface Compiled {
  jaxpr: ClosedJaxpr;
  executables: Map<string, Executable>;
  lowered?: LoweredModule;
  /** The program holds pmaps: it runs replicated over their devices (pmap.ts). */
  holdsPmap: boolean;
}

const compiledOf = new WeakMap<ClosedJaxpr, Compiled>();

/** Donated arguments alias the first output of the same type that no other donation took. */
function aliasesFor(jaxpr: ClosedJaxpr, donate: number[]): [number, number][] {
  const numConsts = jaxpr.consts.length;
  const aliases: [number, number][] = [];
  const taken = new Set<number>();
  for (const d of donate) {
    const aval = jaxpr.inAvals[d]!;
    const out = jaxpr.outAvals.findIndex((o, i) => !taken.has(i) && o.dtype === aval.dtype && o.shape.join() === aval.shape.join());
    if (out >= 0) {
      taken.add(out);
      aliases.push([numConsts + d, out]);
    }
  }
  return aliases;
}

function compiledEntry(jaxpr: ClosedJaxpr): Compiled {
  let entry = compiledOf.get(jaxpr);
  if (!entry) {
    entry = { jaxpr, executables: new Map(), holdsPmap: nestedPmapAxes(jaxpr.jaxpr).length > 0 };
    compiledOf.set(jaxpr, entry);
  }
  return entry;
}

function executableFor(jaxpr: ClosedJaxpr, name: string, device: Device, donate: number[], stats?: JitStats, entry = compiledEntry(jaxpr)): Executable {
  const key = `${device.backend.platform}:${device.id}`;
  const hit = entry.executables.get(key);
  if (hit) return hit;
  let t = performance.now();
  entry.lowered = lowerModule(jaxpr.jaxpr, { name: `jit_${name}`, aliases: aliasesFor(jaxpr, donate) });
  if (stats) stats.lastLowerMs = performance.now() - t;
  t = performance.now();
  const exe = device.backend.compileSync(entry.lowered.text, { signature: entry.lowered.signature, deviceAssignment: [[device.id]] });
  if (stats) {
    stats.lastCompileMs = performance.now() - t;
    stats.compiles++;
  }
  entry.executables.set(key, exe);
  return exe;
}

type ReplicatedRunner = (jaxpr: ClosedJaxpr, inputs: ArrayImpl[], name: string) => Array[];
let runReplicated: ReplicatedRunner | undefined;

/** @internal pmap's runner for programs that hold pmaps (set by lib/api/pmap.ts, which imports this file). */
export function setReplicatedRunner(run: ReplicatedRunner): void {
  runReplicated = run;
}

/** Runs a closed jaxpr on concrete arrays (consts first, then arguments), compiling on first use. */
function runCompiled(jaxpr: ClosedJaxpr, inputs: ArrayImpl[], name: string, donate: number[], stats?: JitStats): Array[] {
  const entry = compiledEntry(jaxpr);
  if (entry.holdsPmap && runReplicated) return runReplicated(jaxpr, inputs, name);
  const device = inputs.find((a) => !a.hostData)?.device ?? defaultBackend().devices[0]!;
  const exe = executableFor(jaxpr, name, device, donate, stats, entry);
  const numConsts = jaxpr.consts.length;
  const outs = exe.execute(
    inputs.map((a) => a.buffer(device)),
    donate.length ? { donate: donate.map((d) => d + numConsts) } : {},
  );
  return outs.map((b, i) => new ArrayImpl(jaxpr.outAvals[i]!, b));
}

/** The call primitive: runs a closed jaxpr (consts first, then arguments). */
export const pjit: Primitive = new Primitive(
  'pjit',
  {
    abstractEval: (_avals, params) => (params.jaxpr as ClosedJaxpr).outAvals,
    impl: (args, params) =>
      runCompiled(params.jaxpr as ClosedJaxpr, args as ArrayImpl[], params.name as string, (params.donated as number[] | undefined) ?? [], params.stats as JitStats | undefined),
    lower: (ctx, args, params, outAvals) => {
      const jaxpr = (params.jaxpr as ClosedJaxpr).jaxpr;
      const symbol = lowerPrivateFunction(ctx, params.name as string, jaxpr);
      return ctx.call(symbol, args, outAvals);
    },
    // Forward mode: a new call of the inner jaxpr's JVP, for the tangents that are not zero.
    jvp: (primals, tangents, params) => {
      const inner = params.jaxpr as ClosedJaxpr;
      const { jaxpr, outNonzero } = jvpJaxpr(inner, tangents.map((t) => t !== null));
      const outs = pjit.bind([...jaxpr.consts, ...primals, ...tangents.filter((t): t is Array => t !== null)], callParams(params, jaxpr));
      let k = inner.outAvals.length;
      return [outs.slice(0, k), outNonzero.map((nz) => (nz ? outs[k++]! : null))];
    },
    // Reverse mode: a new call of the inner (linear) jaxpr's transpose.
    transpose: (cts, args, params) => {
      const undefinedIn = args.map((a) => a instanceof UndefinedPrimal);
      const jaxpr = transposeJaxpr(params.jaxpr as ClosedJaxpr, undefinedIn, cts.map((c) => c !== null));
      const defined = args.filter((a): a is Array => !(a instanceof UndefinedPrimal));
      const outs = pjit.bind([...jaxpr.consts, ...defined, ...cts.filter((c): c is Array => c !== null)], callParams(params, jaxpr));
      let k = 0;
      return undefinedIn.map((u) => (u ? outs[k++]! : null));
    },
    // vmap: a new call of the inner jaxpr batched along the operands' batch axes (cached per axes).
    batch: (args, dims, params) => {
      const { jaxpr, outDims } = batchJaxpr(params.jaxpr as ClosedJaxpr, dims, axisSizeOf(args, dims));
      return [pjit.bind([...jaxpr.consts, ...args], callParams(params, jaxpr)), outDims];
    },
  },
  { multipleResults: true },
);

const asList = (x: number | number[] | undefined): number[] => (x === undefined ? [] : typeof x === 'number' ? [x] : x);

function staticKey(value: unknown, i: number): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    throw new TypeError(`jit: static argument ${i} must be JSON-serialisable to be hashed, got ${String(value)}`);
  }
}

interface Traced {
  jaxpr: ClosedJaxpr;
  outTree: TreeDef;
}

export type Jitted<F extends (...args: never[]) => unknown> = F & {
  /** Traces and lowers for these arguments without running: `.asText()`, `.compile()`. */
  lower(...args: Parameters<F>): { asText(): string; compile(): Executable; jaxpr: ClosedJaxpr };
  readonly stats: JitStats;
};

/** Shardings for `jit`: with either one, XLA's SPMD partitioner splits the program over a mesh. */
export type JitShardingOptions =
  | { inShardings: NonNullable<ShardedJitOptions['inShardings']>; outShardings?: ShardedJitOptions['outShardings']; name?: string }
  | { inShardings?: ShardedJitOptions['inShardings']; outShardings: NonNullable<ShardedJitOptions['outShardings']>; name?: string };

/**
 * `jit(f, { staticArgnums, donateArgnums })`: compiles `f` with XLA on first call for each
 * distinct input signature (shapes, dtypes, weak types, pytree structure, static values, x64).
 * With `inShardings` / `outShardings` (NamedSharding), the program is partitioned over their mesh.
 */
export function jit<F extends (...args: never[]) => unknown>(fn: F, options: JitShardingOptions): ShardedJitted<F>;
export function jit<F extends (...args: never[]) => unknown>(fn: F, options?: JitOptions): Jitted<F>;
export function jit<F extends (...args: never[]) => unknown>(fn: F, options: JitOptions | JitShardingOptions = {}): Jitted<F> | ShardedJitted<F> {
  if ('inShardings' in options || 'outShardings' in options) {
    const { inShardings, outShardings, name, ...rest } = options as JitShardingOptions & JitOptions;
    const unsupported = Object.keys(rest).filter((k) => (rest as Record<string, unknown>)[k] !== undefined);
    if (unsupported.length) throw new TypeError(`jit: ${unsupported.join(', ')} cannot be combined with inShardings/outShardings yet`);
    return shardedJit(fn, { inShardings, outShardings, name });
  }
  return jitSingleDevice(fn, options as JitOptions);
}

function jitSingleDevice<F extends (...args: never[]) => unknown>(fn: F, options: JitOptions): Jitted<F> {
  const staticArgnums = asList(options.staticArgnums);
  const donateArgnums = asList(options.donateArgnums);
  const name = options.name ?? (fn.name || 'fn');
  const stats: JitStats = { traces: 0, compiles: 0, hits: 0, lastTraceMs: 0, lastLowerMs: 0, lastCompileMs: 0, misses: [] };
  const cache = new Map<string, Traced>();
  let lastKey: string | undefined;

  const prepare = (args: unknown[]) => {
    const dynamic: unknown[] = [];
    const statics: string[] = [];
    args.forEach((a, i) => (staticArgnums.includes(i) ? statics.push(staticKey(a, i)) : dynamic.push(a)));
    const [leaves, inTree] = flatten(dynamic);
    const arrays = leaves.map((x, i) => {
      if (x instanceof Array) return x;
      if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return asarray(x);
      throw new TypeError(`jit(${name}): argument leaf ${i} of type ${typeof x} is not an array; mark it static with staticArgnums`);
    });
    const avals = arrays.map((a) => a.aval);
    const key = `${inTree.key()}|${avals.map((a) => a.key()).join(';')}|${statics.join(';')}|x64=${config.enableX64}`;
    // Which flattened leaves are donated.
    const donated: number[] = [];
    if (donateArgnums.length) {
      let offset = 0;
      args.forEach((a, i) => {
        if (staticArgnums.includes(i)) return;
        const n = flatten(a)[0].length;
        if (donateArgnums.includes(i)) for (let k = 0; k < n; k++) donated.push(offset + k);
        offset += n;
      });
    }
    return { arrays, avals, inTree, key, donated };
  };

  const trace = (args: unknown[], prepared: ReturnType<typeof prepare>): Traced => {
    const hit = cache.get(prepared.key);
    if (hit) {
      stats.hits++;
      return hit;
    }
    const reason = lastKey === undefined ? 'first call' : `new signature ${prepared.key} (previous ${lastKey})`;
    stats.misses.push(reason);
    if (config.explainCacheMisses) console.warn(`jit(${name}): cache miss: ${reason}`);
    const t = performance.now();
    let outTree: TreeDef | undefined;
    const jaxpr = traceToJaxpr((...tracers) => {
      const dynamicArgs = unflatten<unknown[]>(prepared.inTree, tracers);
      let k = 0;
      const full = args.map((a, i) => (staticArgnums.includes(i) ? a : dynamicArgs[k++]));
      const out = fn(...(full as Parameters<F>));
      const [outLeaves, tree] = flatten(out);
      outTree = tree;
      return outLeaves.map((x, i) => {
        if (x instanceof Array) return x;
        if (typeof x === 'number' || typeof x === 'boolean') return asarray(x);
        throw new TypeError(`jit(${name}): output leaf ${i} is a ${typeof x}, not an array`);
      });
    }, prepared.avals.map((a) => new ShapedArray(a.shape, a.dtype, a.weakType)));
    stats.traces++;
    stats.lastTraceMs = performance.now() - t;
    const traced = { jaxpr: new ClosedJaxpr(dce(jaxpr.jaxpr), jaxpr.consts), outTree: outTree! };
    cache.set(prepared.key, traced);
    lastKey = prepared.key;
    return traced;
  };

  const params = (traced: Traced, donated: number[]): Params => ({ jaxpr: traced.jaxpr, name, donated, stats });

  // Dispatch fast path for the common steady state: eager, only top-level arrays as arguments
  // (no statics, no donation), with the avals of the last such call. Skips flattening, the cache
  // key and bind; avals are usually the very same objects (outputs reuse the jaxpr's avals).
  let last: { avals: ShapedArray[]; x64: boolean; traced: Traced } | undefined;
  const fastPathAllowed = staticArgnums.length === 0 && donateArgnums.length === 0;
  const matchesLast = (args: unknown[]): boolean => {
    if (!last || args.length !== last.avals.length || last.x64 !== config.enableX64 || !isEager()) return false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (!(a instanceof ArrayImpl)) return false;
      const want = last.avals[i]!;
      if (a.aval !== want && a.aval.key() !== want.key()) return false;
    }
    return true;
  };

  const jitted = ((...args: unknown[]) => {
    if (matchesLast(args)) {
      stats.hits++;
      const traced = last!.traced;
      const outs = runCompiled(traced.jaxpr, [...(traced.jaxpr.consts as ArrayImpl[]), ...(args as ArrayImpl[])], name, [], stats);
      return unflatten(traced.outTree, outs);
    }
    const prepared = prepare(args);
    const traced = trace(args, prepared);
    const outs = pjit.bind([...traced.jaxpr.consts, ...prepared.arrays], params(traced, prepared.donated));
    if (fastPathAllowed && args.every((a) => a instanceof ArrayImpl) && traced.jaxpr.consts.every((c) => c instanceof ArrayImpl)) {
      last = { avals: prepared.avals, x64: config.enableX64, traced };
    }
    return unflatten(traced.outTree, outs);
  }) as unknown as Jitted<F>;

  Object.defineProperty(jitted, 'stats', { value: stats });
  jitted.lower = (...args: Parameters<F>) => {
    const prepared = prepare(args);
    const traced = trace(args, prepared);
    const text = lowerModule(traced.jaxpr.jaxpr, { name: `jit_${name}`, aliases: aliasesFor(traced.jaxpr, prepared.donated) }).text;
    return {
      jaxpr: traced.jaxpr,
      asText: () => text,
      compile: () => executableFor(traced.jaxpr, name, defaultBackend().devices[0]!, prepared.donated, stats),
    };
  };
  return jitted;
}

/** `makeJaxpr(f)(...args)`: the jaxpr of `f` at these arguments' shapes and dtypes. */
export function makeJaxpr<F extends (...args: never[]) => unknown>(fn: F): (...args: Parameters<F>) => ClosedJaxpr {
  return (...args) => {
    const [leaves, inTree] = flatten(args);
    const avals = leaves.map((x) => asarray(x as Array).aval);
    return traceToJaxpr((...tracers) => {
      const out = fn(...(unflatten<unknown[]>(inTree, tracers) as Parameters<F>));
      return flatten(out)[0].map((x) => asarray(x as Array));
    }, avals);
  };
}

/** A shape and dtype, as `jax.ShapeDtypeStruct`. */
export interface ShapeDtypeStruct {
  shape: number[];
  dtype: string;
  weakType: boolean;
}

/** `evalShape(f)(...args)`: output shapes and dtypes without running anything. */
export function evalShape<F extends (...args: never[]) => unknown>(fn: F): (...args: Parameters<F>) => unknown {
  return (...args) => {
    let tree: TreeDef | undefined;
    const [leaves, inTree] = flatten(args);
    const jaxpr = traceToJaxpr((...tracers) => {
      const [outs, t] = flatten(fn(...(unflatten<unknown[]>(inTree, tracers) as Parameters<F>)));
      tree = t;
      return outs.map((x) => asarray(x as Array));
    }, leaves.map((x) => asarray(x as Array).aval));
    return unflatten(
      tree!,
      jaxpr.outAvals.map((a) => ({ shape: [...a.shape], dtype: a.dtype, weakType: a.weakType })),
    );
  };
}
