// Collectives over named axes (JAX's lax.parallel): psum, pmean, pmax, pmin, allGather, allToAll,
// ppermute, psumScatter, axisIndex. Under pmap they lower to StableHLO cross-replica ops; under
// vmap with an `axisName` their batching rules compute them along the batch axis.
//
// A named axis is bound while pmap or vmap traces the user function (the axis environment
// below). The user functions resolve the name there (JAX's "unbound axis name" otherwise) and
// record the axis size in the primitive's parameters, so re-tracing a jaxpr (jvp, transpose,
// batching) needs no environment.
import { Array } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import { ShapedArray, shapeStr } from '../core/aval.js';
import { defaultFloatDType, defaultIntDType, isInexact, toInexactDType, type DType } from '../core/dtypes.js';
import { Primitive, type Params } from '../core/primitive.js';
import { Tracer, withMainTrace, type MainTrace } from '../core/trace.js';
import { constLike, defrules, fullOf, zerosLike, type TransposeRule } from '../interpreters/ad.js';
import { BatchTrace, BatchTracer, axisSizeOf, runBatched, broadcastBatch, moveaxis, type BatchDim, type BatchResult } from '../interpreters/batching.js';
import type { LoweringContext, Value } from '../lowering/context.js';
import { convertElementType } from './convert.js';
import { add, div, eq, mul } from './elementwise.js';
import { reduceMax, reduceMin, reduceSum } from './reduce.js';
import { broadcastInDim, reshape, transpose } from './shape.js';
import { concatenate, slice } from './slicing.js';

// ---- the axis environment ----

export interface AxisFrame {
  name: string;
  size: number;
  kind: 'pmap' | 'vmap';
  /** vmap's batch trace, for values it has not seen yet (axisIndex, unbatched operands). */
  main?: MainTrace;
}

const frames: AxisFrame[] = [];

/** Runs `fn` with `frame`'s axis name bound (pmap and vmap tracing). */
export function withAxis<T>(frame: AxisFrame, fn: () => T): T {
  frames.push(frame);
  try {
    return fn();
  } finally {
    frames.pop();
  }
}

/** The innermost frame binding `name`, if any. */
function findAxis(name: string): AxisFrame | undefined {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i]!.name === name) return frames[i]!;
  return undefined;
}

/** The innermost frame binding `name`, or JAX's error. */
export function lookupAxis(name: string): AxisFrame {
  const frame = findAxis(name);
  if (!frame) throw new NameError(`unbound axis name: ${name}`);
  return frame;
}

/** Whether a pmap is being traced (nested pmap is not supported). */
export const insidePmap = (): boolean => frames.some((f) => f.kind === 'pmap');

/** Python's NameError, which JAX raises for unbound axis names. */
export class NameError extends Error {
  override name = 'NameError';
}

export type AxisName = string | readonly string[];
const axisNames = (axisName: AxisName): string[] => (typeof axisName === 'string' ? [axisName] : [...axisName]);

// ---- lowering helpers ----

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

// ---- the replica layout of the program being lowered ----

/** A pmap axis of the program being lowered; replica ids count over the axes, outermost first. */
export interface ReplicaAxis {
  name: string;
  size: number;
}

let replicaAxes: ReplicaAxis[] = [];

/** Lowers with `axes` as the program's replica layout (nested pmaps, pmap inside jit). */
export function withReplicaAxes<T>(axes: ReplicaAxis[], fn: () => T): T {
  const saved = replicaAxes;
  replicaAxes = axes;
  try {
    return fn();
  } finally {
    replicaAxes = saved;
  }
}

/** The layout that holds `name` (a lone pmap's program has only its own axis). */
function layoutFor(name: string, size: number): { axes: ReplicaAxis[]; k: number; stride: number } {
  const axes = replicaAxes.some((a) => a.name === name) ? replicaAxes : [{ name, size }];
  const k = axes.findIndex((a) => a.name === name);
  return { axes, k, stride: axes.slice(k + 1).reduce((n, a) => n * a.size, 1) };
}

/** Replica ids by `name`: one group per position along the other axes, ordered along `name`. */
export function replicaGroupsOf(name: string, size: number): number[][] {
  const { axes, k, stride } = layoutFor(name, size);
  const total = axes.reduce((n, a) => n * a.size, 1);
  const groups: number[][] = [];
  for (let r = 0; r < total; r++) {
    if (Math.floor(r / stride) % axes[k]!.size === 0) groups.push(range(axes[k]!.size).map((i) => r + i * stride));
  }
  return groups;
}

const replicaGroups = (params: Params): string => {
  const groups = replicaGroupsOf(params.axis_name as string, sizeOf(params));
  return `dense<[${groups.map((g) => `[${g.join(', ')}]`).join(', ')}]> : tensor<${groups.length}x${groups[0]!.length}xi64>`;
};

/** This replica's index along `name`, as an int32 scalar. */
export function lowerAxisIndex(ctx: LoweringContext, name: string, size: number): Value {
  const { axes, k, stride } = layoutFor(name, size);
  const u32 = new ShapedArray([], 'uint32');
  let id = ctx.op1('stablehlo.replica_id', [], u32);
  if (stride > 1) id = ctx.op1('stablehlo.divide', [id, ctx.constant(stride, u32)], u32);
  const index = ctx.op1('stablehlo.remainder', [id, ctx.constant(axes[k]!.size, u32)], u32);
  return ctx.op1('stablehlo.convert', [index], new ShapedArray([], 'int32'));
}

const REDUCER: Record<string, string> = { psum: 'stablehlo.add', pmax: 'stablehlo.maximum', pmin: 'stablehlo.minimum' };

function reducerRegion(ctx: LoweringContext, kind: string, dtype: DType): string {
  const scalar = new ShapedArray([], dtype);
  return ctx.region([scalar, scalar], (inner, [a, b]) => [inner.op1(REDUCER[kind]!, [a!, b!], scalar)]);
}

const sizeOf = (p: Params): number => p.axis_size as number;

const withShape = (x: ShapedArray, shape: number[]): ShapedArray => new ShapedArray(shape, x.dtype, x.weakType);

function checkAxis(op: string, axis: number, ndim: number): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= ndim) throw new RangeError(`${op}: axis ${axis} is out of bounds for array of dimension ${ndim}`);
}

// ---- "another axis" batching: the collective acts per example, the batch axis moves to the front ----

/** Batch rule for a collective over an axis other than the vmapped one: shift axis params past a leading batch axis. */
function perExample(prim: Primitive, axisParams: string[]): NonNullable<Primitive['rules']['batch']> {
  return (args, dims, params) => {
    const named = namedContext();
    if (named && named.name === params.axis_name && named.size === axisSizeOf(args, dims)) return NAMED.get(prim)!(args, dims, params);
    const xs = args.map((x, i) => (dims[i] === null ? broadcastBatch(x, axisSizeOf(args, dims), 0) : moveaxis(x, dims[i]!, 0)));
    const shifted: Record<string, unknown> = { ...params };
    for (const k of axisParams) shifted[k] = (params[k] as number) + 1;
    const outs = prim.bind(xs, shifted);
    return [outs, outs.map(() => 0)];
  };
}

// ---- the primitives ----

/**
 * The all-reduce family takes any number of operands (a pytree's leaves) and lowers them as one
 * variadic stablehlo.all_reduce per dtype: one rendezvous of the devices instead of one per leaf.
 */
function allReduce(kind: 'psum' | 'pmax' | 'pmin'): Primitive {
  const prim: Primitive = new Primitive(kind, {
    abstractEval: (avals) => avals,
    lower: (ctx, args, params, outAvals) => {
      const outs: Value[] = new globalThis.Array(args.length);
      const byDType = new Map<DType, number[]>();
      args.forEach((a, i) => byDType.set(a.aval.dtype, [...(byDType.get(a.aval.dtype) ?? []), i]));
      for (const [dtype, group] of byDType) {
        const results = ctx.op('stablehlo.all_reduce', group.map((i) => args[i]!), group.map((i) => outAvals[i]!), {
          replica_groups: replicaGroups(params),
        }, [reducerRegion(ctx, kind, dtype)]);
        group.forEach((i, k) => (outs[i] = results[k]!));
      }
      return outs;
    },
  }, { multipleResults: true });
  // Over another axis the reduction acts per example: batch axes stay where they are.
  prim.rules.batch = (args, dims, params) => {
    const named = namedContext();
    if (named && named.name === params.axis_name && named.size === axisSizeOf(args, dims)) return NAMED.get(prim)!(args, dims, params);
    return [prim.bind(args, params), dims];
  };
  return prim;
}

/** `prim` applied to the non-null entries of `xs` at once; nulls stay null. */
function bindSome(prim: Primitive, xs: (Array | null)[], params: Params): (Array | null)[] {
  const present = xs.filter((x): x is Array => x !== null);
  const outs = present.length ? rebind(prim, present, params) : [];
  let k = 0;
  return xs.map((x) => (x === null ? null : outs[k++]!));
}

/** psum[axis_name, axis_size]: linear; its transpose is psum itself (every output reads every input). */
export const psumP: Primitive = defrules(allReduce('psum'), {
  jvp: (xs, ts, params) => [rebind(psumP, xs, params), bindSome(psumP, ts, params)],
  transpose: (cts, _args, params) => bindSome(psumP, cts, params),
});

/** The tangent of pmax/pmin: the tangents of the devices holding the extremum, averaged over ties. */
function chooserJvp(prim: Primitive): NonNullable<Primitive['rules']['jvp']> {
  return (xs, ts, params) => {
    const answers = rebind(prim, xs, params);
    const hits = ts.map((t, i) => (t ? convertElementType.bind1([eq.bind1([xs[i]!, answers[i]!])], { new_dtype: t.dtype, weak_type: false }) : null));
    const nums = bindSome(psumP, ts.map((t, i) => (t ? mul.bind1([t, hits[i]!]) : null)), params);
    const counts = bindSome(psumP, hits, params);
    return [answers, nums.map((n, i) => (n ? div.bind1([n, counts[i]!]) : null))];
  };
}

export const pmaxP: Primitive = defrules(allReduce('pmax'), { jvp: (p, t, params) => chooserJvp(pmaxP)(p, t, params) });
export const pminP: Primitive = defrules(allReduce('pmin'), { jvp: (p, t, params) => chooserJvp(pminP)(p, t, params) });

/** all_gather[axis_name, axis_size, all_gather_dimension, tiled] */
export const allGatherP: Primitive = new Primitive('all_gather', {
  abstractEval: ([x], params) => {
    const dim = params.all_gather_dimension as number;
    const shape = [...x!.shape];
    if (params.tiled) {
      checkAxis('all_gather', dim, x!.ndim);
      shape[dim] = shape[dim]! * sizeOf(params);
    } else {
      checkAxis('all_gather', dim, x!.ndim + 1);
      shape.splice(dim, 0, sizeOf(params));
    }
    return [withShape(x!, shape)];
  },
  lower: (ctx, [x], params, [out]) => {
    const dim = params.all_gather_dimension as number;
    let operand = x!;
    if (!params.tiled) {
      const shape = [...x!.aval.shape];
      shape.splice(dim, 0, 1);
      operand = ctx.op1('stablehlo.reshape', [x!], withShape(x!.aval, shape));
    }
    return [ctx.op1('stablehlo.all_gather', [operand], out!, { all_gather_dim: `${dim} : i64`, replica_groups: replicaGroups(params) })];
  },
});

/** reduce_scatter[axis_name, axis_size, scatter_dimension, tiled]: psum, then each device keeps its slice. */
export const reduceScatterP: Primitive = new Primitive('reduce_scatter', {
  abstractEval: ([x], params) => {
    const dim = params.scatter_dimension as number;
    const n = sizeOf(params);
    checkAxis('psum_scatter', dim, x!.ndim);
    const size = x!.shape[dim]!;
    const shape = [...x!.shape];
    if (params.tiled) {
      if (size % n !== 0) throw new TypeError(`psum_scatter: the scatter dimension ${dim} of shape ${shapeStr(x!.shape)} must be divisible by the axis size ${n}`);
      shape[dim] = size / n;
    } else {
      if (size !== n) throw new TypeError(`psum_scatter: the scatter dimension ${dim} of shape ${shapeStr(x!.shape)} must equal the axis size ${n} (or use tiled)`);
      shape.splice(dim, 1);
    }
    return [withShape(x!, shape)];
  },
  lower: (ctx, [x], params, [out]) => {
    const dim = params.scatter_dimension as number;
    const shape = [...x!.aval.shape];
    shape[dim] = shape[dim]! / sizeOf(params);
    const scattered = ctx.op1('stablehlo.reduce_scatter', [x!], withShape(x!.aval, shape), {
      scatter_dimension: `${dim} : i64`,
      replica_groups: replicaGroups(params),
    }, [reducerRegion(ctx, 'psum', x!.aval.dtype)]);
    return [params.tiled ? scattered : ctx.op1('stablehlo.reshape', [scattered], out!)];
  },
});

/** all_to_all[axis_name, axis_size, split_axis, concat_axis]: tiled (the user function adds and drops axes). */
export const allToAllP: Primitive = new Primitive('all_to_all', {
  abstractEval: ([x], params) => {
    const n = sizeOf(params);
    const split = params.split_axis as number;
    const concat = params.concat_axis as number;
    checkAxis('all_to_all', split, x!.ndim);
    checkAxis('all_to_all', concat, x!.ndim);
    if (x!.shape[split]! % n !== 0) {
      throw new TypeError(`all_to_all: the split axis ${split} of shape ${shapeStr(x!.shape)} must be divisible by the axis size ${n}`);
    }
    const shape = [...x!.shape];
    shape[split] = shape[split]! / n;
    shape[concat] = shape[concat]! * n;
    return [withShape(x!, shape)];
  },
  lower: (ctx, [x], params, [out]) => [
    ctx.op1('stablehlo.all_to_all', [x!], out!, {
      split_dimension: `${params.split_axis as number} : i64`,
      concat_dimension: `${params.concat_axis as number} : i64`,
      split_count: `${sizeOf(params)} : i64`,
      replica_groups: replicaGroups(params),
    }),
  ],
});

/** ppermute[axis_name, axis_size, perm]: device `src` sends to `dst` for each [src, dst]; others get zeros. */
export const ppermuteP: Primitive = new Primitive('ppermute', {
  abstractEval: ([x]) => [x!],
  lower: (ctx, [x], params, [out]) => {
    const perm = params.perm as [number, number][];
    if (perm.length === 0) return [ctx.constant(0, out!)];
    // The pairs name positions along the axis: one set of replica pairs per group.
    const replicaPairs = replicaGroupsOf(params.axis_name as string, sizeOf(params)).flatMap((g) => perm.map(([s, d]) => [g[s]!, g[d]!]));
    const pairs = `dense<[${replicaPairs.map(([s, d]) => `[${s}, ${d}]`).join(', ')}]> : tensor<${replicaPairs.length}x2xi64>`;
    return [ctx.op1('stablehlo.collective_permute', [x!], out!, { source_target_pairs: pairs })];
  },
});

/** axis_index[axis_name, axis_size]: this device's position along the axis (int32). */
export const axisIndexP: Primitive = new Primitive('axis_index', {
  abstractEval: () => [new ShapedArray([], 'int32')],
  lower: (ctx, _args, params) => [lowerAxisIndex(ctx, params.axis_name as string, sizeOf(params))],
  jvp: (_p, _t, params) => [[axisIndexP.bind1([], params)], [null]],
});

allGatherP.rules.batch = perExample(allGatherP, ['all_gather_dimension']);
reduceScatterP.rules.batch = perExample(reduceScatterP, ['scatter_dimension']);
allToAllP.rules.batch = perExample(allToAllP, ['split_axis', 'concat_axis']);
ppermuteP.rules.batch = perExample(ppermuteP, []);

// Linear collectives: jvp applies the collective to the tangent; transposes as JAX's.
const rebind1 = (prim: Primitive, x: Array, params: Params): Array => rebind(prim, [x], params)[0]!;
const linearJvp = (prim: Primitive): NonNullable<Primitive['rules']['jvp']> => ([x], [t], params) => [[rebind1(prim, x!, params)], [t ? rebind1(prim, t, params) : null]];
const transposeOf = (f: (ct: Array, params: Params) => Array): TransposeRule => ([ct], _args, params) => [ct ? f(ct, params) : null];

defrules(allGatherP, {
  jvp: linearJvp(allGatherP),
  transpose: transposeOf((ct, p) => rebind1(reduceScatterP, ct, { axis_name: p.axis_name, axis_size: p.axis_size, scatter_dimension: p.all_gather_dimension, tiled: p.tiled })),
});
defrules(reduceScatterP, {
  jvp: linearJvp(reduceScatterP),
  transpose: transposeOf((ct, p) => rebind1(allGatherP, ct, { axis_name: p.axis_name, axis_size: p.axis_size, all_gather_dimension: p.scatter_dimension, tiled: p.tiled })),
});
defrules(allToAllP, {
  jvp: linearJvp(allToAllP),
  transpose: transposeOf((ct, p) => rebind1(allToAllP, ct, { ...p, split_axis: p.concat_axis, concat_axis: p.split_axis })),
});
defrules(ppermuteP, {
  jvp: linearJvp(ppermuteP),
  transpose: transposeOf((ct, p) => rebind1(ppermuteP, ct, { ...p, perm: (p.perm as [number, number][]).map(([s, d]) => [d, s]) })),
});

// ---- batching along the named (vmapped) axis itself: the collective becomes an ordinary op ----

type NamedRule = (args: Array[], dims: BatchDim[], params: Params) => BatchResult;

/** `x` batched at `d` (or unbatched) as an array with the examples along axis 0. */
function examplesFirst(x: Array, d: BatchDim, n: number): Array {
  return d === null ? broadcastBatch(x, n, 0) : moveaxis(x, d, 0);
}

function reduceNamed(kind: 'psum' | 'pmax' | 'pmin'): NamedRule {
  const prim = kind === 'psum' ? reduceSum : kind === 'pmax' ? reduceMax : reduceMin;
  return (xs, dims, params) => {
    const n = sizeOf(params);
    const outs = xs.map((x, i) => {
      const d = dims[i] ?? null;
      if (d === null) return kind === 'psum' ? mul.bind1([x, constLike(x, n)]) : x;
      return prim.bind1([x], { axes: [d] });
    });
    return [outs, outs.map(() => null)];
  };
}

/** Merges axes `axis` and `axis + 1` of `x`. */
function mergeAxes(x: Array, axis: number): Array {
  const shape = [...x.shape];
  shape.splice(axis, 2, shape[axis]! * shape[axis + 1]!);
  return reshape.bind1([x], { new_sizes: shape });
}

/** Splits axis `axis` of `x` into [n, rest]. */
function splitAxis(x: Array, axis: number, n: number): Array {
  const shape = [...x.shape];
  shape.splice(axis, 1, n, shape[axis]! / n);
  return reshape.bind1([x], { new_sizes: shape });
}

/** Moves axis `src` of `x` to `dst`. */
const move = (x: Array, src: number, dst: number): Array => moveaxis(x, src, dst);

const NAMED = new Map<Primitive, NamedRule>([
  [psumP, reduceNamed('psum')],
  [pmaxP, reduceNamed('pmax')],
  [pminP, reduceNamed('pmin')],
  [allGatherP, ([x], [d], params) => {
    const dim = params.all_gather_dimension as number;
    const all = move(examplesFirst(x!, d, sizeOf(params)), 0, dim);
    return [[params.tiled ? mergeAxes(all, dim) : all], [null]];
  }],
  [reduceScatterP, ([x], [d], params) => {
    const n = sizeOf(params);
    const dim = params.scatter_dimension as number;
    const total = d === null ? mul.bind1([x!, constLike(x!, n)]) : reduceSum.bind1([x!], { axes: [d] });
    // Example i keeps chunk i of the scatter dimension: that dimension becomes the batch axis.
    return [[params.tiled ? splitAxis(total, dim, n) : total], [dim]];
  }],
  [allToAllP, ([x], [d], params) => {
    const n = sizeOf(params);
    const split = params.split_axis as number;
    const concat = params.concat_axis as number;
    // y[j, ..., i, k, ...]: example j's chunk i of the split axis (at 1 + split).
    const y = splitAxis(examplesFirst(x!, d, n), split + 1, n);
    // out[i] = chunks i of every example j, concatenated along the concat axis: bring i to the front,
    // then j just before the concat axis (per-example coordinates, the split axis now holding k).
    const perm = range(y.ndim).filter((a) => a !== 0 && a !== split + 1);
    const c = concat;
    perm.splice(c, 0, 0);
    const z = transpose.bind1([y], { permutation: [split + 1, ...perm] });
    return [[mergeAxes(z, c + 1)], [0]];
  }],
  [ppermuteP, ([x], [d], params) => {
    const n = sizeOf(params);
    const y = examplesFirst(x!, d, n);
    const source = new Map((params.perm as [number, number][]).map(([s, t]) => [t, s]));
    const rows = range(n).map((t) => {
      const s = source.get(t);
      const shape = [1, ...y.shape.slice(1)];
      if (s === undefined) return zerosLike(withShape(y.aval, shape));
      return slice.bind1([y], { start_indices: [s, ...shape.slice(1).map(() => 0)], limit_indices: [s + 1, ...shape.slice(1)], strides: null });
    });
    return [[concatenate.bind1(rows, { dimension: 0 })], [0]];
  }],
]);

// ---- vmap with an axis name ----

const batchNames = new WeakMap<MainTrace, { name: string; size: number }>();
const namedCalls: { name: string; size: number }[] = [];

/** The named vmap whose call (jit, control flow) is being batched, if any: its inner batch traces are that axis. */
const namedContext = (): { name: string; size: number } | undefined => namedCalls[namedCalls.length - 1];

/** vmap's batch trace for a named axis: collectives over its name become ordinary array ops. */
class NamedBatchTrace extends BatchTrace {
  override processPrimitive(primitive: Primitive, tracers: Array[], params: Params): Array[] {
    const axis = batchNames.get(this.main)!;
    const rule = NAMED.get(primitive);
    if (rule && params.axis_name === axis.name) {
      const ins = tracers as BatchTracer[];
      const [outs, dims] = rule(ins.map((t) => t.val), ins.map((t) => t.batchDim), params);
      return outs.map((o, i) => (dims[i] === null ? o : new BatchTracer(this, o, dims[i]!)));
    }
    namedCalls.push(axis);
    try {
      return super.processPrimitive(primitive, tracers, params);
    } finally {
      namedCalls.pop();
    }
  }
}

/** As batching's batchFlat, with `name` bound to the mapped axis for the collectives in `fn`. */
export function batchFlatNamed(name: string, fn: (...xs: Array[]) => Array[], args: Array[], dims: BatchDim[], axisSize: number): BatchResult {
  return withMainTrace(NamedBatchTrace, axisSize, (main) => {
    batchNames.set(main, { name, size: axisSize });
    return withAxis({ name, size: axisSize, kind: 'vmap', main }, () => runBatched(new NamedBatchTrace(main), fn, args, dims));
  });
}

// ---- the user functions ----

/**
 * Binds a collective over one axis. Under a named vmap, an operand the vmap has not seen (a
 * constant, a closed-over value) enters its trace unbatched so that the named rule applies.
 */
function bindAll(prim: Primitive, xs: Array[], name: string, params: Record<string, unknown>): Array[] {
  const frame = lookupAxis(name);
  return bindInFrame(prim, xs, frame, { axis_name: name, axis_size: frame.size, ...params });
}

function bindInFrame(prim: Primitive, xs: Array[], frame: AxisFrame, full: Params): Array[] {
  if (frame.kind === 'vmap') {
    const trace = new NamedBatchTrace(frame.main!);
    const unseen = (x: Array) => !(x instanceof Tracer && x.trace.main.level >= frame.main!.level);
    return prim.bind(xs.map((x) => (unseen(x) ? new BatchTracer(trace, x, null) : x)), full);
  }
  return prim.bind(xs, full);
}

/**
 * Binds a collective from a jvp or transpose rule. Under a named vmap over its axis, a tangent or
 * cotangent that vmap has not seen (the same for every example) must enter the vmap's trace too:
 * bound as it is, it would lower to a cross-device op on one replica.
 */
function rebind(prim: Primitive, xs: Array[], params: Params): Array[] {
  const frame = findAxis(params.axis_name as string);
  if (frame?.kind === 'vmap' && frame.size === params.axis_size) return bindInFrame(prim, xs, frame, params);
  return prim.bind(xs, params);
}

const bindOn = (prim: Primitive, x: Array, name: string, params: Record<string, unknown>): Array => bindAll(prim, [x], name, params)[0]!;

type Tree = unknown;

/** A JS scalar as a weakly typed array (psum(1, 'i') is the axis size). */
function scalarArray(x: number | boolean): Array {
  const dtype: DType = typeof x === 'boolean' ? 'bool' : Number.isInteger(x) ? defaultIntDType() : defaultFloatDType();
  return fullOf(new ShapedArray([], dtype, true), x);
}

/** Applies `f` to each array leaf of a pytree (numbers become arrays). */
function mapLeaves(x: Tree, f: (a: Array) => Array): Tree {
  if (x instanceof Array) return f(x);
  if (typeof x === 'number' || typeof x === 'boolean') return f(scalarArray(x));
  if (globalThis.Array.isArray(x)) return x.map((v) => mapLeaves(v, f));
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, mapLeaves(v, f)]));
  return x;
}

/** One variadic all-reduce over all the leaves of `x`, per axis name. */
function reduceOver(prim: Primitive, x: Tree, axisName: AxisName): Tree {
  const leaves: Array[] = [];
  mapLeaves(x, (a) => (leaves.push(a), a));
  if (leaves.length === 0) return x;
  const reduced = axisNames(axisName).reduce((vs, name) => bindAll(prim, vs, name, {}), leaves);
  let k = 0;
  return mapLeaves(x, () => reduced[k++]!);
}

/** The product of the sizes of the named axes. */
export function axisSize(axisName: AxisName): number {
  return axisNames(axisName).reduce((n, name) => n * lookupAxis(name).size, 1);
}

/** `lax.psum(x, axisName)`: the sum of `x` over the devices (or examples) of the axis; a pytree maps leafwise. */
export function psum<T>(x: T, axisName: AxisName): T {
  // As JAX's: booleans are summed as int32 (how many are true).
  const counted = mapLeaves(x, (a) => (a.dtype === 'bool' ? convertElementType.bind1([a], { new_dtype: 'int32', weak_type: false }) : a));
  return reduceOver(psumP, counted, axisName) as T;
}

/** `lax.pmax(x, axisName)` */
export function pmax<T>(x: T, axisName: AxisName): T {
  return reduceOver(pmaxP, x, axisName) as T;
}

/** `lax.pmin(x, axisName)` */
export function pmin<T>(x: T, axisName: AxisName): T {
  return reduceOver(pminP, x, axisName) as T;
}

/** `lax.pmean(x, axisName)`: psum divided by the axis size (integers become floats, as `/` does: int32 → float32 even with x64). */
export function pmean<T>(x: T, axisName: AxisName): T {
  const n = axisSize(axisName);
  return mapLeaves(psum(x, axisName), (s) => {
    const f = isInexact(s.dtype) ? s : convertElementType.bind1([s], { new_dtype: toInexactDType(s.dtype), weak_type: s.weakType });
    return div.bind1([f, constLike(f, n)]);
  }) as T;
}

export interface AllGatherOptions {
  /** Where the gathered axis goes. Default 0. */
  axis?: number;
  /** Concatenate along `axis` instead of stacking a new one. Default false. */
  tiled?: boolean;
}

/** `lax.allGather(x, axisName, { axis, tiled })`: every device's `x`, stacked (or concatenated) along `axis`. */
export function allGather<T>(x: T, axisName: string, options: AllGatherOptions = {}): T {
  const { axis = 0, tiled = false } = options;
  return mapLeaves(x, (a) => {
    const rank = a.ndim + (tiled ? 0 : 1);
    if (!Number.isInteger(axis) || axis < -rank || axis >= rank) throw new RangeError(`axis ${axis} is out of bounds for array of dimension ${rank}`);
    const dim = axis < 0 ? axis + rank : axis;
    return bindOn(allGatherP, a, axisName, { all_gather_dimension: dim, tiled });
  }) as T;
}

export interface PsumScatterOptions {
  /** The dimension split across devices. Default 0. */
  scatterDimension?: number;
  /** Keep the scattered dimension (size / axis size) instead of requiring it to equal the axis size and dropping it. */
  tiled?: boolean;
}

/** `lax.psumScatter(x, axisName, { scatterDimension, tiled })`: psum, each device keeping its slice. */
export function psumScatter<T>(x: T, axisName: string, options: PsumScatterOptions = {}): T {
  const { scatterDimension = 0, tiled = false } = options;
  return mapLeaves(x, (a) => bindOn(reduceScatterP, a, axisName, { scatter_dimension: scatterDimension, tiled })) as T;
}

export interface AllToAllOptions {
  /** Split axis is divided by the axis size rather than required to equal it. Default false. */
  tiled?: boolean;
}

/**
 * `lax.allToAll(x, axisName, splitAxis, concatAxis, { tiled })`: chunk i of `splitAxis` goes to
 * device i; received chunks are concatenated along `concatAxis` (as JAX's, with its axis shuffling).
 * A pytree maps leafwise.
 */
export function allToAll<T>(x: T, axisName: string, splitAxis: number, concatAxis: number, options: AllToAllOptions = {}): T {
  return mapLeaves(x, (a) => allToAllLeaf(a, axisName, splitAxis, concatAxis, options)) as T;
}

function allToAllLeaf(x: Array, axisName: string, splitAxis: number, concatAxis: number, options: AllToAllOptions): Array {
  const n = lookupAxis(axisName).size;
  let split = splitAxis;
  let concat = concatAxis;
  let y = x;
  if (options.tiled) {
    if (x.shape[split]! % n !== 0) throw new RangeError(`all_to_all: the split axis size ${x.shape[split]} must be divisible by the axis size ${n}`);
  } else {
    if (x.shape[split] !== n) {
      throw new RangeError(`all_to_all requires the size of the mapped axis axis_name to equal x.shape[split_axis], but they are ${n} and ${x.shape[split]} respectively.`);
    }
    if (split < concat) concat += 1;
    if (split !== concat) {
      y = expandAt(x, concat);
      if (concat < split) split += 1;
    }
  }
  const out = bindOn(allToAllP, y, axisName, { split_axis: split, concat_axis: concat });
  if (options.tiled || split === concat) return out;
  return reshape.bind1([out], { new_sizes: out.shape.filter((_, i) => i !== split) });
}

function expandAt(x: Array, axis: number): Array {
  const shape = [...x.shape];
  shape.splice(axis, 0, 1);
  return broadcastInDim.bind1([x], { shape, broadcast_dimensions: range(x.ndim).map((i) => (i < axis ? i : i + 1)) });
}

/** `lax.ppermute(x, axisName, perm)`: for each `[src, dst]`, device dst receives src's value; the others receive zeros. */
export function ppermute<T>(x: T, axisName: string, perm: readonly (readonly [number, number])[]): T {
  const n = lookupAxis(axisName).size;
  const srcs = new Set<number>();
  const dsts = new Set<number>();
  for (const [s, d] of perm) {
    if (!(Number.isInteger(s) && Number.isInteger(d) && s >= 0 && d >= 0 && s < n && d < n)) {
      throw new RangeError(`ppermute: perm entries must be device indices in [0, ${n}), got ${JSON.stringify(perm)}`);
    }
    if (srcs.has(s) || dsts.has(d)) throw new RangeError(`ppermute sources and destinations must be unique, got ${JSON.stringify(perm)}.`);
    srcs.add(s);
    dsts.add(d);
  }
  return mapLeaves(x, (a) => bindOn(ppermuteP, a, axisName, { perm: perm.map(([s, d]) => [s, d]) })) as T;
}

/** `lax.axisIndex(axisName)`: this device's (or example's) index along the axis, as int32; over several axes, the row-major index. */
export function axisIndex(axisName: AxisName): Array {
  if (typeof axisName !== 'string') {
    let index: Array | undefined;
    for (const name of axisName) {
      const i = axisIndex(name);
      index = index === undefined ? i : add.bind1([mul.bind1([index, constLike(index, lookupAxis(name).size)]), i]);
    }
    return index ?? fullOf(new ShapedArray([], 'int32', true), 0);
  }
  const frame = lookupAxis(axisName);
  const params = { axis_name: axisName, axis_size: frame.size };
  if (frame.kind === 'vmap') {
    // The indices as a concrete constant batched at the vmap's level: usable from any trace
    // inside it (a jit under the vmap closes over it instead of binding a device index).
    const ids = new ArrayImpl(new ShapedArray([frame.size], 'int32'), Int32Array.from({ length: frame.size }, (_, i) => i));
    return new BatchTracer(new NamedBatchTrace(frame.main!), ids, 0);
  }
  return axisIndexP.bind1([], params);
}

