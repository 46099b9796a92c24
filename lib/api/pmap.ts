// pmap, as jax.pmap: `fn` traced once per device with the mapped axis removed, lowered to one
// module with `mhlo.num_replicas = N`, compiled for N devices and run with one argument list per
// device (XLA's collectives connect the replicas). pmap is a primitive (`xla_pmap`) holding the
// per-device jaxpr, so grad, vmap and jvp compose with it as with jit.
import { Array } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import { ShapedArray, shapeStr } from '../core/aval.js';
import { config } from '../core/config.js';
import { ClosedJaxpr, Var, dce } from '../core/jaxpr.js';
import { Primitive, UndefinedPrimal, type Params } from '../core/primitive.js';
import { broadcastPrefix, flatten, flattenWithPath, keystr, unflatten, type KeyPath, type TreeDef } from '../core/pytree.js';
import { jvpJaxpr, openJaxpr } from '../interpreters/ad.js';
import { batchJaxprAxes, moveaxis, type BatchDim } from '../interpreters/batching.js';
import { traceToJaxpr } from '../interpreters/partial_eval.js';
import { partialEvalJaxpr, type EqnSplit } from '../interpreters/partial_eval_ad.js';
import { transposeJaxpr } from '../interpreters/transpose.js';
import { allGatherP, insidePmap, lowerAxisIndex, withAxis, withReplicaAxes, type ReplicaAxis } from '../lax/parallel.js';
import { reduceSum } from '../lax/reduce.js';
import type { LoweringContext, Value } from '../lowering/context.js';
import { i64Array } from '../lowering/context.js';
import { lowerJaxprBody, lowerModule } from '../lowering/module.js';
import { combineCollectives } from './combine_collectives.js';
import { nestedPmapAxes, replicaCount } from './replicas.js';
import { setReplicatedRunner } from './jit.js';
import { asarray } from '../numpy/convert.js';
import type { Device } from '../runtime/device.js';
import type { DeviceBuffer } from '../runtime/device_buffer.js';
import type { Executable } from '../runtime/executable.js';
import { getBackend } from '../runtime/registry.js';
import { ShardedArray, splitAlong } from '../sharding/sharded_array.js';
import type { AxisSpec } from './vmap.js';

export interface PmapOptions {
  /** The name collectives use for the mapped axis. */
  axisName?: string;
  /** Which axis of each argument is mapped (int, null for broadcast, or a pytree prefix). Default 0. */
  inAxes?: AxisSpec;
  /** Where the mapped axis goes in each output (null: the output is the same on every device). Default 0. */
  outAxes?: AxisSpec;
  /** Positions of arguments passed to every device as compile-time constants (hashed with JSON). */
  staticBroadcastedArgnums?: number | number[];
  /** The devices to run on (default: the first N devices of the backend). */
  devices?: Device[];
  /** Positions of arguments whose per-device buffers the computation may reuse. */
  donateArgnums?: number | number[];
  /** The backend ('cpu', 'cuda', 'tpu'); default the default backend. */
  backend?: string;
}

type Axis = number | null;

interface PmapParams {
  jaxpr: ClosedJaxpr; // per-device, no constants
  name: string;
  axis_name: string;
  axis_size: number;
  in_axes: Axis[];
  out_axes: Axis[];
  /** Global ids of the devices, one per replica. */
  devices: number[];
  backend: string;
  donated: number[];
}

const P = (params: Params): PmapParams => params as unknown as PmapParams;

const insertAxis = (aval: ShapedArray, axis: Axis, n: number): ShapedArray => {
  if (axis === null) return aval;
  const shape = [...aval.shape];
  shape.splice(axis, 0, n);
  return new ShapedArray(shape, aval.dtype, aval.weakType);
};

const removeAxis = (aval: ShapedArray, axis: Axis): ShapedArray =>
  axis === null ? aval : new ShapedArray(aval.shape.filter((_, i) => i !== axis), aval.dtype, aval.weakType);

/** A closed jaxpr's constants as leading broadcast arguments: returns the const-free jaxpr. */
function hoist(closed: ClosedJaxpr): { jaxpr: ClosedJaxpr; consts: Array[] } {
  let jaxpr = hoisted.get(closed);
  if (!jaxpr) hoisted.set(closed, (jaxpr = closed.consts.length ? new ClosedJaxpr(openJaxpr(closed), []) : closed));
  return { jaxpr, consts: closed.consts as Array[] };
}
// Kept per jaxpr so that the hoisted jaxpr keeps its identity (the executable cache is keyed by it).
const hoisted = new WeakMap<ClosedJaxpr, ClosedJaxpr>();

/** Binds xla_pmap with `closed`'s constants as leading broadcast operands. */
function bindPmap(closed: ClosedJaxpr, args: Array[], params: PmapParams, inAxes: Axis[], outAxes: Axis[]): Array[] {
  const { jaxpr, consts } = hoist(closed);
  return xlaPmap.bind([...consts, ...args], { ...params, jaxpr, in_axes: [...consts.map(() => null), ...inAxes], out_axes: outAxes, donated: [] });
}

// ---- running on devices ----

const executables = new WeakMap<ClosedJaxpr, Map<string, Executable>>();

function executableFor(p: PmapParams, devices: Device[]): Executable {
  let byDevices = executables.get(p.jaxpr);
  if (!byDevices) executables.set(p.jaxpr, (byDevices = new Map()));
  const key = `${p.backend}:${p.devices.join(',')}:${p.donated.join(',')}`;
  const hit = byDevices.get(key);
  if (hit) return hit;
  const aliases = aliasesFor(p);
  const axes = replicaAxesOf(p);
  const body = combineCollectives(p.jaxpr.jaxpr);
  const lowered = withReplicaAxes(axes, () => lowerModule(body, { name: `pmap_${p.name}`, numReplicas: devices.length, aliases }));
  const exe = devices[0]!.backend.compileSync(lowered.text, {
    signature: lowered.signature,
    numReplicas: devices.length,
    deviceAssignment: devices.map((d) => [d.id]),
  });
  byDevices.set(key, exe);
  return exe;
}

/** Donated arguments alias the first per-device output of the same type that no other took. */
function aliasesFor(p: PmapParams): [number, number][] {
  const inAvals = p.jaxpr.jaxpr.inVars.map((v) => v.aval);
  const outAvals = p.jaxpr.outAvals;
  const taken = new Set<number>();
  const out: [number, number][] = [];
  for (const d of p.donated) {
    const o = outAvals.findIndex((a, i) => !taken.has(i) && a.key() === inAvals[d]!.withWeakType(a.weakType).key());
    if (o >= 0) {
      taken.add(o);
      out.push([d, o]);
    }
  }
  return out;
}

/** The replica layout of a pmap's program: its own axis, then the axes of pmaps nested in it. */
const replicaAxesOf = (p: PmapParams): ReplicaAxis[] => [{ name: p.axis_name, size: p.axis_size }, ...nestedPmapAxes(p.jaxpr.jaxpr)];

/** JAX's error when a program needs more replicas than there are devices. */
function checkReplicas(needed: number, available: number): void {
  if (needed > available) {
    throw new Error(`compiling computation that requires ${needed} logical devices, but only ${available} XLA devices are available (num_replicas=${needed})`);
  }
}

/** One device per replica: the pmap's own devices, or (nested pmaps) the first N of the backend. */
function resolveDevices(p: PmapParams): Device[] {
  const backend = getBackend(p.backend);
  const replicas = replicaCount(replicaAxesOf(p));
  if (replicas === p.axis_size) return p.devices.map((id) => backend.devices.find((d) => d.id === id)!);
  checkReplicas(replicas, backend.devices.length);
  return backend.devices.slice(0, replicas);
}

/** `buffers` (one per group of `perGroup` consecutive replicas, on its first device) copied to every replica. */
function spreadToReplicas(buffers: DeviceBuffer[], devices: Device[], perGroup: number): DeviceBuffer[] {
  const raw = new Map<DeviceBuffer, ArrayBufferView>(); // each group's value read once
  return devices.map((d, r) => {
    const b = buffers[Math.floor(r / perGroup)]!;
    if (r % perGroup === 0) return b;
    if (!raw.has(b)) raw.set(b, b.toHostSync());
    return d.backend.bufferFromHost(raw.get(b)!, b.dtype, b.shape, d);
  });
}

/** The raw bytes of an array in device layout. */
function rawOf(a: ArrayImpl): ArrayBufferView {
  return a.hostData ?? a.buffer(a.device).toHostSync();
}

/** Per-device buffers of `a` split (or, axis null, copied) across `devices`. */
function shardsOf(a: ArrayImpl, axis: Axis, devices: Device[]): DeviceBuffer[] {
  const n = devices.length;
  if (a instanceof ShardedArray && a.shardAxis === axis && a.devices.every((d, i) => d === devices[i]) && a.devices.length === n) {
    return a.shardBuffers();
  }
  if (axis === null) {
    if (a instanceof ShardedArray && a.shardAxis === null && a.devices.length === n && a.devices.every((d, i) => d === devices[i])) return a.shardBuffers();
    let raw: ArrayBufferView | undefined;
    return devices.map((d) => {
      if (!a.hostData && a.device === d) return a.buffer(d);
      raw ??= rawOf(a);
      return d.backend.bufferFromHost(raw, a.dtype, a.shape, d);
    });
  }
  const pieces = splitAlong(rawOf(a), a.shape, axis, n);
  const shape = removeAxis(a.aval, axis).shape;
  return devices.map((d, i) => d.backend.bufferFromHost(pieces[i]!, a.dtype, shape, d));
}

function runPmap(args: ArrayImpl[], p: PmapParams): Array[] {
  const replicas = resolveDevices(p);
  const exe = executableFor(p, replicas);
  // With pmaps nested inside, each of this pmap's devices is a group of consecutive replicas
  // that all hold its inputs; the first replica of each group gives its outputs.
  const perGroup = replicas.length / p.axis_size;
  const devices = replicas.filter((_, r) => r % perGroup === 0);
  const perArg = args.map((a, i) => {
    const shards = shardsOf(a, p.in_axes[i] ?? null, devices);
    return perGroup === 1 ? shards : spreadToReplicas(shards, replicas, perGroup);
  });
  const argLists = replicas.map((_, d) => perArg.map((shards) => shards[d]!));
  const rows = exe.executeSharded(argLists, p.donated.length ? { donate: p.donated } : {});
  const outs = rows.filter((row, r) => {
    if (r % perGroup === 0) return true;
    row.forEach((b) => b.dispose());
    return false;
  });
  return p.jaxpr.outAvals.map((aval, o) => {
    const axis = p.out_axes[o] ?? null;
    const buffers = outs.map((row) => row[o]!);
    if (axis === null) return new ShardedArray(aval, buffers, null);
    return new ShardedArray(insertAxis(aval, axis, p.axis_size), buffers, axis);
  });
}

// ---- a pmap inside a replicated program (nested pmap, pmap inside jit) ----

/**
 * The pmap's body inlined: each replica slices its position along the axis out of the mapped
 * operands, runs the body, and all-gathers the mapped outputs back (every replica of the
 * axis's group then holds the whole result, as the program outside expects).
 */
function lowerInnerPmap(ctx: LoweringContext, args: Value[], params: Params, outAvals: ShapedArray[]): Value[] {
  const p = P(params);
  const index = lowerAxisIndex(ctx, p.axis_name, p.axis_size);
  const zero = ctx.constant(0, new ShapedArray([], 'int32'));
  const inner = args.map((x, i) => {
    const axis = p.in_axes[i] ?? null;
    if (axis === null) return x;
    const sizes = x.aval.shape.map((d, k) => (k === axis ? 1 : d));
    const starts = x.aval.shape.map((_, k) => (k === axis ? index : zero));
    const piece = ctx.op1('stablehlo.dynamic_slice', [x, ...starts], new ShapedArray(sizes, x.aval.dtype, x.aval.weakType), { slice_sizes: i64Array(sizes) });
    return ctx.op1('stablehlo.reshape', [piece], removeAxis(x.aval, axis));
  });
  const results = lowerJaxprBody(ctx, p.jaxpr.jaxpr, inner);
  return results.map((r, o) => {
    const axis = p.out_axes[o] ?? null;
    if (axis === null) return r;
    const gather = { axis_name: p.axis_name, axis_size: p.axis_size, all_gather_dimension: axis, tiled: false };
    return allGatherP.rules.lower(ctx, [r], gather, [outAvals[o]!])[0]!;
  });
}

const replicatedExecutables = new WeakMap<ClosedJaxpr, Executable>();

/**
 * jit of a function holding pmaps: one program over the pmaps' replicas; every replica gets the
 * whole arguments, and the first replica's outputs are the results.
 */
function runReplicated(jaxpr: ClosedJaxpr, inputs: ArrayImpl[], name: string): Array[] {
  const axes = nestedPmapAxes(jaxpr.jaxpr);
  const backend = inputs.find((a) => !a.hostData)?.device.backend ?? getBackend();
  const total = replicaCount(axes);
  checkReplicas(total, backend.devices.length);
  const devices = backend.devices.slice(0, total);
  let exe = replicatedExecutables.get(jaxpr);
  if (!exe) {
    const lowered = withReplicaAxes(axes, () => lowerModule(jaxpr.jaxpr, { name: `jit_${name}`, numReplicas: total }));
    exe = backend.compileSync(lowered.text, { signature: lowered.signature, numReplicas: total, deviceAssignment: devices.map((d) => [d.id]) });
    replicatedExecutables.set(jaxpr, exe);
  }
  const copies: DeviceBuffer[] = [];
  const raw = new Map<ArrayImpl, ArrayBufferView>(); // each input read once
  const rawOnce = (a: ArrayImpl) => raw.get(a) ?? raw.set(a, rawOf(a)).get(a)!;
  const argLists = devices.map((d) => inputs.map((a) => {
    if (a instanceof ShardedArray || (!a.hostData && a.device === d)) return a.buffer(d); // held by the array
    const copy = d.backend.bufferFromHost(rawOnce(a), a.dtype, a.shape, d);
    copies.push(copy);
    return copy;
  }));
  const rows = exe.executeSharded(argLists);
  rows.slice(1).forEach((row) => row.forEach((b) => b.dispose()));
  copies.forEach((b) => b.dispose());
  return rows[0]!.map((b, o) => new ArrayImpl(jaxpr.outAvals[o]!, b));
}
setReplicatedRunner(runReplicated);

// ---- the primitive ----

export const xlaPmap: Primitive = new Primitive(
  'xla_pmap',
  {
    abstractEval: (_avals, params) => {
      const p = P(params);
      return p.jaxpr.outAvals.map((a, i) => insertAxis(a, p.out_axes[i] ?? null, p.axis_size));
    },
    impl: (args, params) => runPmap(args as ArrayImpl[], P(params)),
    lower: lowerInnerPmap,
    // Forward mode: the per-device JVP, tangents mapped as their primals.
    jvp: (primals, tangents, params) => {
      const p = P(params);
      const nonzero = tangents.map((t) => t !== null);
      const { jaxpr, outNonzero } = jvpJaxpr(p.jaxpr, nonzero);
      const inAxes = [...p.in_axes, ...p.in_axes.filter((_, i) => nonzero[i])];
      const outAxes = [...p.out_axes, ...p.out_axes.filter((_, i) => outNonzero[i])];
      const outs = bindPmap(jaxpr, [...primals, ...tangents.filter((t): t is Array => t !== null)], p, inAxes, outAxes);
      let k = p.out_axes.length;
      return [outs.slice(0, k), outNonzero.map((nz) => (nz ? outs[k++]! : null))];
    },
    // Reverse mode: the per-device transpose; cotangents of broadcast inputs are summed over devices.
    transpose: (cts, args, params) => {
      const p = P(params);
      const undefinedIn = args.map((a) => a instanceof UndefinedPrimal);
      const ctNonzero = cts.map((c) => c !== null);
      const jaxpr = transposeJaxpr(p.jaxpr, undefinedIn, ctNonzero);
      const defined = args.filter((a): a is Array => !(a instanceof UndefinedPrimal));
      const inAxes = [...p.in_axes.filter((_, i) => !undefinedIn[i]), ...p.out_axes.filter((_, i) => ctNonzero[i])];
      const undefAxes = p.in_axes.filter((_, i) => undefinedIn[i]);
      const outAxes = undefAxes.map((a) => a ?? 0);
      const outs = bindPmap(jaxpr, [...defined, ...cts.filter((c): c is Array => c !== null)], p, inAxes, outAxes);
      let k = 0;
      return undefinedIn.map((u) => {
        if (!u) return null;
        const i = k++;
        return undefAxes[i] === null ? reduceSum.bind1([outs[i]!], { axes: [0] }) : outs[i]!;
      });
    },
    // vmap of pmap: batch axes go to the front of each per-device value.
    batch: (args, dims, params) => {
      const p = P(params);
      const n = args.reduce((size, x, i) => (dims[i] === null ? size : x.shape[dims[i]!]!), 0);
      const moved = args.map((x, i) => (dims[i] === null ? x : moveaxis(x, dims[i]!, 0)));
      const inDims: BatchDim[] = dims.map((d) => (d === null ? null : 0));
      const inAxes = p.in_axes.map((a, i) => (a === null || dims[i] === null ? a : a + 1));
      const { jaxpr, outBatched } = batchJaxprAxes(p.jaxpr, inDims, n, false, 0);
      const outAxes = p.out_axes.map((a, i) => (a === null || !outBatched[i] ? a : a + 1));
      const outs = bindPmap(jaxpr, moved, p, inAxes, outAxes);
      return [outs, outBatched.map((b) => (b ? 0 : null))];
    },
  },
  { multipleResults: true },
);

// Partial evaluation (linearize, grad): known and unknown per-device parts, residuals mapped along axis 0.
xlaPmap.rules.partialEval = (eqn, inUnknown): EqnSplit => {
  const p = P(eqn.params);
  const split = partialEvalJaxpr(p.jaxpr, inUnknown);
  const known = hoist(split.known);
  const unknown = hoist(split.unknown);
  if (known.consts.length || unknown.consts.length) throw new Error('jaxts internal error: pmap partial evaluation produced constants');
  const resAvals = split.unknown.jaxpr.inVars.slice(0, split.numResiduals).map((v) => v.aval);
  const res = resAvals.map((a) => new Var(insertAxis(a, 0, p.axis_size)));
  const knownOutAxes = p.out_axes.filter((_, i) => !split.outUnknown[i]);
  const unknownOutAxes = p.out_axes.filter((_, i) => split.outUnknown[i]);
  return {
    known: [{
      primitive: xlaPmap,
      inputs: eqn.inputs.filter((_, i) => !inUnknown[i]),
      params: { ...p, jaxpr: known.jaxpr, in_axes: p.in_axes.filter((_, i) => !inUnknown[i]), out_axes: [...knownOutAxes, ...res.map(() => 0)], donated: [] },
      outVars: [...eqn.outVars.filter((_, i) => !split.outUnknown[i]), ...res],
    }],
    unknown: {
      primitive: xlaPmap,
      inputs: [...res, ...eqn.inputs.filter((_, i) => inUnknown[i])],
      params: { ...p, jaxpr: unknown.jaxpr, in_axes: [...res.map(() => 0), ...p.in_axes.filter((_, i) => inUnknown[i])], out_axes: unknownOutAxes, donated: [] },
      outVars: eqn.outVars.filter((_, i) => split.outUnknown[i]),
    },
    outUnknown: split.outUnknown,
  };
};

// ---- the user function ----

const asList = (x: number | number[] | undefined): number[] => (x === undefined ? [] : typeof x === 'number' ? [x] : x);

function flattenAxes(name: string, spec: AxisSpec, tree: unknown): Axis[] {
  try {
    return broadcastPrefix(spec, tree, { name: `pmap ${name}` }) as Axis[];
  } catch (error) {
    throw new Error(`pmap ${name} specification must be a tree prefix of the corresponding value;\n  ${(error as Error).message}`);
  }
}

function staticKey(value: unknown, i: number): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    throw new TypeError(`pmap: static broadcasted argument ${i} must be JSON-serialisable to be hashed, got ${String(value)}`);
  }
}

/** The mapped size, with JAX's errors for out-of-range axes and inconsistent sizes. */
function mappedSize(xs: Array[], axes: Axis[], paths: KeyPath[]): number {
  const sizes: number[] = [];
  xs.forEach((x, i) => {
    const a = axes[i];
    if (a === null || a === undefined) return;
    if (a < -x.ndim || a >= x.ndim) {
      throw new Error(`pmap was requested to map its argument along axis ${a}, which implies that its rank should be at least ${a >= 0 ? a + 1 : -a}, but is only ${x.ndim} (its shape is ${shapeStr(x.shape)})`);
    }
    sizes.push(x.shape[a < 0 ? a + x.ndim : a]!);
  });
  if (sizes.length === 0) throw new Error('pmap requires at least one argument with a mapped axis (inAxes other than null)');
  const distinct = [...new Set(sizes)];
  if (distinct.length > 1) {
    const lines = ['pmap got inconsistent sizes for array axes to be mapped:'];
    xs.forEach((x, i) => {
      const a = axes[i];
      if (a !== null && a !== undefined) lines.push(`  * axis ${a} of args${keystr(paths[i]!)} of type ${x.dtype}[${x.shape.join(',')}] has size ${x.shape[a < 0 ? a + x.ndim : a]}`);
    });
    throw new Error(lines.join('\n'));
  }
  return distinct[0]!;
}

interface Traced {
  jaxpr: ClosedJaxpr;
  outTree: TreeDef;
  outAxes: Axis[];
}

type Fn = (...args: never[]) => unknown;

/** Unnamed pmaps get distinct axis names, so collectives cannot name them by accident. */
let anonymousAxes = 0;

/**
 * `pmap(fn, { axisName, inAxes, outAxes, staticBroadcastedArgnums, devices, donateArgnums, backend })`:
 * `fn` run on N devices at once (N = the size of the mapped axis), each on its slice of the mapped
 * arguments; collectives over `axisName` communicate between them. Outputs are sharded arrays
 * whose slices stay on their devices (another pmap over the same devices takes them as they are).
 */
export function pmap<F extends Fn>(fn: F, options: PmapOptions = {}): (...args: Parameters<F>) => ReturnType<F> {
  const { axisName = `pmap_axis_${++anonymousAxes}`, inAxes = 0, outAxes = 0 } = options;
  const statics = asList(options.staticBroadcastedArgnums);
  const donate = asList(options.donateArgnums);
  const name = fn.name || 'fn';
  const cache = new Map<string, Traced>();

  const pmapped = (...args: unknown[]) => {
    if (globalThis.Array.isArray(inAxes) && inAxes.length !== args.length - statics.length && inAxes.length !== args.length) {
      throw new Error(`pmap inAxes must be an int, null, or an array with one entry per positional argument, but got inAxes.length=${inAxes.length}, args.length=${args.length}.`);
    }
    const dynamic: unknown[] = [];
    const staticKeys: string[] = [];
    args.forEach((a, i) => (statics.includes(i) ? staticKeys.push(staticKey(a, i)) : dynamic.push(a)));
    const dynamicInAxes = globalThis.Array.isArray(inAxes) && inAxes.length === args.length && statics.length
      ? inAxes.filter((_, i) => !statics.includes(i))
      : inAxes;
    const [leafPaths, inTree] = flattenWithPath(dynamic);
    const paths = leafPaths.map(([p]) => p);
    const xs = leafPaths.map(([p, x]) => {
      if (x instanceof Array) return x;
      if (typeof x === 'number' || typeof x === 'boolean') return asarray(x);
      throw new TypeError(`Argument args${keystr(p)} of type ${x === null ? 'null' : typeof x} is not a valid JAX type`);
    });
    const axes = flattenAxes('inAxes', dynamicInAxes, dynamic).map((a, i) => (a === null || a === undefined ? null : a < 0 ? a + xs[i]!.ndim : a));
    const n = mappedSize(xs, axes, paths);

    const backend = options.devices?.[0]?.backend ?? getBackend(options.backend);
    const available = options.devices ?? backend.devices;
    if (options.devices && options.devices.length !== n) {
      throw new Error(`Leading axis size of input to pmapped function must equal the number of local devices passed to pmap. Got axis_size=${n}, num_local_devices=${options.devices.length}.`);
    }
    // Nested in another pmap, the device count is checked for the whole program.
    if (!insidePmap()) checkReplicas(n, available.length);
    const devices = available.slice(0, n);

    const key = `${inTree.key()}|${xs.map((x, i) => `${x.aval.key()}@${axes[i]}`).join(';')}|${staticKeys.join(';')}|n=${n}|x64=${config.enableX64}`;
    let traced = cache.get(key);
    if (!traced) {
      let outTree: TreeDef | undefined;
      let outVals: unknown;
      const closed = withAxis({ name: axisName, size: n, kind: 'pmap' }, () =>
        traceToJaxpr((...tracers) => {
          const dynamicArgs = unflatten<unknown[]>(inTree, tracers);
          let k = 0;
          const full = args.map((a, i) => (statics.includes(i) ? a : dynamicArgs[k++]));
          outVals = (fn as unknown as (...a: unknown[]) => unknown)(...full);
          const [outs, tree] = flatten(outVals);
          outTree = tree;
          return outs.map((o, i) => {
            if (o instanceof Array) return o;
            if (typeof o === 'number' || typeof o === 'boolean') return asarray(o);
            throw new TypeError(`pmap(${name}): output leaf ${i} is a ${typeof o}, not an array`);
          });
        }, xs.map((x, i) => removeAxis(x.aval, axes[i]!))),
      );
      const flatOutAxes = flattenAxes('outAxes', outAxes, outVals).map((a, i) => (a === null || a === undefined ? null : a < 0 ? a + closed.outAvals[i]!.ndim + 1 : a));
      traced = { jaxpr: new ClosedJaxpr(dce(closed.jaxpr), closed.consts), outTree: outTree!, outAxes: flatOutAxes };
      cache.set(key, traced);
    }

    const donated: number[] = [];
    if (donate.length) {
      let offset = traced.jaxpr.consts.length;
      args.forEach((a, i) => {
        if (statics.includes(i)) return;
        const count = flatten(a)[0].length;
        if (donate.includes(i)) for (let k = 0; k < count; k++) donated.push(offset + k);
        offset += count;
      });
    }
    const { jaxpr, consts } = hoist(traced.jaxpr);
    const params: PmapParams = {
      jaxpr,
      name,
      axis_name: axisName,
      axis_size: n,
      in_axes: [...consts.map(() => null), ...axes],
      out_axes: traced.outAxes,
      devices: devices.map((d) => d.id),
      backend: devices[0]!.backend.platform,
      donated,
    };
    const outs = xlaPmap.bind([...consts, ...xs], params as unknown as Params);
    return unflatten(traced.outTree, outs);
  };
  Object.defineProperty(pmapped, 'name', { value: fn.name });
  return pmapped as unknown as (...args: Parameters<F>) => ReturnType<F>;
}

export { ShardedArray };
