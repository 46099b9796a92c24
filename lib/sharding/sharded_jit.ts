// Sharded jit on XLA's SPMD partitioner (GSPMD): the program is traced on global shapes, its
// parameters and results carry `mhlo.sharding` annotations from NamedShardings, and XLA splits
// it into one program per partition (`num_partitions` = mesh size, `use_spmd_partitioning`),
// run with each device's shards. Also devicePut.
import { Array } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import { ShapedArray } from '../core/aval.js';
import { config } from '../core/config.js';
import { ClosedJaxpr, dce } from '../core/jaxpr.js';
import { flatten, unflatten, type TreeDef } from '../core/pytree.js';
import { traceToJaxpr } from '../interpreters/partial_eval.js';
import { lowerModule, type LoweredModule } from '../lowering/module.js';
import { asarray } from '../numpy/convert.js';
import type { Device } from '../runtime/device.js';
import type { Executable } from '../runtime/executable.js';
import { NamedSharding } from './named_sharding.js';
import { PartitionSpec } from './partition_spec.js';
import { ShardedArray, copyBlock } from './sharded_array.js';

const shardings = new WeakMap<ShardedArray, NamedSharding>();

/** The NamedSharding an array was placed with (devicePut or a sharded jit's output), if any. */
export function shardingOf(x: Array): NamedSharding | undefined {
  return x instanceof ShardedArray ? shardings.get(x) : undefined;
}

const sameDevices = (a: readonly Device[], b: readonly Device[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

function sameLayout(a: NamedSharding, b: NamedSharding, ndim: number): boolean {
  return sameDevices(a.devices, b.devices) && a.hloSharding(ndim) === b.hloSharding(ndim);
}

/** `devicePut(x, sharding)`: `x` laid out on the mesh as `sharding` says (or copied to one device). */
export function devicePut(x: Array | number, sharding: NamedSharding | Device): Array {
  const a = (x instanceof Array ? x : asarray(x)) as ArrayImpl;
  if (!(sharding instanceof NamedSharding)) return new ArrayImpl(a.aval, a.buffer(sharding));
  const current = shardingOf(a);
  if (current && sameLayout(current, sharding, a.ndim)) return a;
  const layout = sharding.layout(a.ndim);
  const blockShape = sharding.shardShape(a.shape);
  const raw = a.hostData ?? a.buffer(a.device).toHostSync();
  const whole = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  const itemBytes = a.size === 0 ? 1 : whole.byteLength / a.size;
  const blockBytes = blockShape.reduce((n, d) => n * d, 1) * itemBytes;
  const buffers = sharding.devices.map((device, p) => {
    const block = new Uint8Array(blockBytes);
    copyBlock(whole, a.shape, block, layout.blocks[p]!.map((b, d) => b * blockShape[d]!), blockShape, itemBytes, false);
    return device.backend.bufferFromHost(block, a.dtype, blockShape, device);
  });
  const out = new ShardedArray(a.aval, buffers, layout);
  shardings.set(out, sharding);
  return out;
}

// ---- jit with shardings ----

type ShardingSpec = NamedSharding | null | undefined;

export interface ShardedJitOptions {
  /** One sharding for every argument, or one per positional argument (null: the argument's own, else replicated). */
  inShardings?: NamedSharding | readonly ShardingSpec[];
  /** One sharding for every output leaf, or one per output leaf (null: replicated). */
  outShardings?: NamedSharding | readonly ShardingSpec[];
  name?: string;
}

interface Program {
  jaxpr: ClosedJaxpr;
  outTree: TreeDef;
  lowered: LoweredModule;
  argShardings: NamedSharding[];
  outShardings: NamedSharding[];
  executable?: Executable;
}

const replicated = (like: NamedSharding): NamedSharding => new NamedSharding(like.mesh, new PartitionSpec());

export type ShardedJitted<F extends (...args: never[]) => unknown> = F & {
  /** Traces and lowers for these arguments: the StableHLO text with its `mhlo.sharding` annotations. */
  lower(...args: Parameters<F>): { asText(): string; compile(): Executable };
};

/**
 * `shardedJit(f, { inShardings, outShardings })`: `f` compiled once for the mesh of its shardings
 * and partitioned by XLA; arguments are laid out as `inShardings` says (devicePut), results come
 * back as sharded arrays laid out as `outShardings` says.
 */
export function shardedJit<F extends (...args: never[]) => unknown>(fn: F, options: ShardedJitOptions = {}): ShardedJitted<F> {
  const name = options.name ?? (fn.name || 'fn');
  const cache = new Map<string, Program>();

  const prepare = (args: unknown[]) => {
    const perArg = args.map((a, i) => {
      const spec = options.inShardings;
      return spec instanceof NamedSharding ? spec : (spec?.[i] ?? null);
    });
    const leaves: Array[] = [];
    const leafShardings: ShardingSpec[] = [];
    args.forEach((a, i) => {
      for (const leaf of flatten(a)[0]) {
        const arr = leaf instanceof Array ? leaf : asarray(leaf as number);
        leaves.push(arr);
        leafShardings.push(perArg[i] ?? shardingOf(arr));
      }
    });
    const first = leafShardings.find((s): s is NamedSharding => s instanceof NamedSharding)
      ?? (options.outShardings instanceof NamedSharding ? options.outShardings : options.outShardings?.find((s): s is NamedSharding => s instanceof NamedSharding));
    if (!first) throw new Error(`shardedJit(${name}): no sharding given; pass inShardings or outShardings (or sharded arguments)`);
    leafShardings.forEach((s, i) => {
      if (s && !sameDevices(s.devices, first.devices)) {
        throw new Error(
          `Received incompatible devices for jitted computation. Got argument ${i} of ${name} with shape ${leaves[i]!.dtype}[${leaves[i]!.shape.join(',')}] and device ids [${s.devices.map((d) => d.id).join(', ')}] ` +
            `and another argument with device ids [${first.devices.map((d) => d.id).join(', ')}]`,
        );
      }
    });
    const argShardings = leafShardings.map((s) => s ?? replicated(first));
    const inTree = flatten(args)[1];
    const key = `${inTree.key()}|${leaves.map((l, i) => `${l.aval.key()}@${argShardings[i]!.hloSharding(l.ndim)}`).join(';')}|${first.devices.map((d) => d.id)}|x64=${config.enableX64}`;
    return { leaves, argShardings, inTree, key, mesh: first };
  };

  const program = (args: unknown[], p: ReturnType<typeof prepare>): Program => {
    const hit = cache.get(p.key);
    if (hit) return hit;
    p.argShardings.forEach((s, i) => s.shardShape(p.leaves[i]!.shape));
    let outTree: TreeDef | undefined;
    const traced = traceToJaxpr((...tracers) => {
      const [outs, tree] = flatten((fn as unknown as (...a: unknown[]) => unknown)(...unflatten<unknown[]>(p.inTree, tracers)));
      outTree = tree;
      return outs.map((o) => (o instanceof Array ? o : asarray(o as number)));
    }, p.leaves.map((l) => new ShapedArray(l.shape, l.dtype, l.weakType)));
    const jaxpr = new ClosedJaxpr(dce(traced.jaxpr), traced.consts);
    const outSpec = options.outShardings;
    const outShardings = jaxpr.outAvals.map((_, i) => (outSpec instanceof NamedSharding ? outSpec : (outSpec?.[i] ?? null)) ?? replicated(p.mesh));
    outShardings.forEach((s, i) => s.shardShape(jaxpr.outAvals[i]!.shape));
    const constShardings = jaxpr.consts.map(() => replicated(p.mesh));
    const allIn = [...constShardings, ...p.argShardings];
    const inAvals = [...jaxpr.jaxpr.constVars, ...jaxpr.jaxpr.inVars].map((v) => v.aval);
    const attr = (s: NamedSharding, ndim: number) => `mhlo.sharding = ${JSON.stringify(s.hloSharding(ndim))}`;
    const lowered = lowerModule(jaxpr.jaxpr, {
      name: `jit_${name}`,
      numPartitions: p.mesh.devices.length,
      argAttrs: allIn.map((s, i) => attr(s, inAvals[i]!.ndim)),
      resultAttrs: outShardings.map((s, i) => attr(s, jaxpr.outAvals[i]!.ndim)),
    });
    const prog: Program = { jaxpr, outTree: outTree!, lowered, argShardings: allIn, outShardings };
    cache.set(p.key, prog);
    return prog;
  };

  const compile = (prog: Program): Executable => {
    if (prog.executable) return prog.executable;
    const devices = prog.argShardings[0]?.devices ?? prog.outShardings[0]!.devices;
    const inAvals = [...prog.jaxpr.jaxpr.constVars, ...prog.jaxpr.jaxpr.inVars].map((v) => v.aval);
    // The executable takes and returns each device's blocks.
    const signature = {
      params: inAvals.map((a, i) => ({ dtype: a.dtype, shape: prog.argShardings[i]!.shardShape(a.shape) })),
      results: prog.jaxpr.outAvals.map((a, i) => ({ dtype: a.dtype, shape: prog.outShardings[i]!.shardShape(a.shape) })),
    };
    prog.executable = devices[0]!.backend.compileSync(prog.lowered.text, {
      signature,
      numPartitions: devices.length,
      useSpmdPartitioning: true,
      deviceAssignment: [devices.map((d) => d.id)],
    });
    return prog.executable;
  };

  const jitted = ((...args: unknown[]) => {
    const p = prepare(args);
    const prog = program(args, p);
    const exe = compile(prog);
    const inputs = [...(prog.jaxpr.consts as Array[]), ...p.leaves];
    const placed = inputs.map((x, i) => (devicePut(x, prog.argShardings[i]!) as ShardedArray).shardBuffers());
    const mesh = prog.argShardings[0]?.devices ?? prog.outShardings[0]!.devices;
    const partitionOf = exe.devices.map((d) => mesh.indexOf(d));
    const outs = exe.executeSharded(partitionOf.map((part) => placed.map((shards) => shards[part]!)));
    const results = prog.jaxpr.outAvals.map((aval, o) => {
      const buffers = mesh.map((d) => outs[exe.devices.indexOf(d)]![o]!);
      const out = new ShardedArray(aval, buffers, prog.outShardings[o]!.layout(aval.ndim));
      shardings.set(out, prog.outShardings[o]!);
      return out;
    });
    return unflatten(prog.outTree, results);
  }) as unknown as ShardedJitted<F>;
  jitted.lower = (...args: Parameters<F>) => {
    const p = prepare(args);
    const prog = program(args, p);
    return { asText: () => prog.lowered.text, compile: () => compile(prog) };
  };
  return jitted;
}
