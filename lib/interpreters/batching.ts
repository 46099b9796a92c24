// Batching (vmap), as autodidax's BatchTrace and JAX's batching.py: a batch tracer carries a value
// with one extra axis, the batch dimension, at any position (`null`: the value is the same for every
// example). Each primitive's `batch` rule maps batched operands to batched results, moving batch
// dimensions only where the operation needs them somewhere in particular.
//
// lax files import the rule helpers below while this file imports two lax primitives (transpose,
// broadcast_in_dim): the cycle is safe because neither side calls the other at module evaluation time.
import type { Array } from '../core/array.js';
import { ShapedArray } from '../core/aval.js';
import { ClosedJaxpr, dce } from '../core/jaxpr.js';
import type { Params, Primitive, PrimitiveRules } from '../core/primitive.js';
import { Trace, Tracer, withMainTrace } from '../core/trace.js';
import { broadcastInDim, transpose } from '../lax/shape.js';
import { evalJaxpr, openJaxpr } from './ad.js';
import { traceToJaxpr } from './partial_eval.js';

/** Where a value's batch axis is; `null` (notMapped) when it has none. */
export type BatchDim = number | null;
export const notMapped: BatchDim = null;

export type BatchRule = NonNullable<PrimitiveRules['batch']>;
export type BatchResult = [Array[], BatchDim[]];

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

// ---- moving and making batch axes ----

/** `x` with its axis `src` moved to position `dst` (the others keep their order); no-op if equal. */
export function moveaxis(x: Array, src: number, dst: number): Array {
  if (src === dst) return x;
  const perm = range(x.ndim).filter((i) => i !== src);
  perm.splice(dst, 0, src);
  return transpose.bind1([x], { permutation: perm });
}

/** `x` repeated along a new axis of `size` at position `axis` (broadcast_in_dim, no copy in XLA). */
export function broadcastBatch(x: Array, size: number, axis: number): Array {
  const shape = [...x.shape];
  shape.splice(axis, 0, size);
  return broadcastInDim.bind1([x], { shape, broadcast_dimensions: range(x.ndim).map((i) => (i < axis ? i : i + 1)) });
}

/** `x` (batched at `src`, or unbatched) batched at `dst`. */
export function matchAxis(x: Array, src: BatchDim, dst: number, size: number): Array {
  return src === null ? broadcastBatch(x, size, dst) : moveaxis(x, src, dst);
}

/** The mapped size, from the first batched operand (a rule only runs when there is one). */
export function axisSizeOf(args: Array[], dims: BatchDim[]): number {
  const i = dims.findIndex((d) => d !== null);
  if (i < 0) throw new Error('jaxts internal error: a batching rule ran without a batched operand');
  return args[i]!.shape[dims[i]!]!;
}

/** The per-example aval of a value batched at `dim`. */
export function mappedAval(aval: ShapedArray, dim: BatchDim): ShapedArray {
  if (dim === null) return aval;
  return new ShapedArray(aval.shape.filter((_, i) => i !== dim), aval.dtype, aval.weakType);
}

/** The batched aval of a per-example aval, with the batch axis of `size` at `dim`. */
export function unmappedAval(aval: ShapedArray, dim: BatchDim, size: number): ShapedArray {
  if (dim === null) return aval;
  const shape = [...aval.shape];
  shape.splice(dim, 0, size);
  return new ShapedArray(shape, aval.dtype, aval.weakType);
}

// ---- rule factories for primitive stanzas (JAX's defvectorized, defbroadcasting, defreducer) ----

/** Sets the batching rule of `prim`; returns `prim` so a stanza stays one expression. */
export function defbatch<P extends Primitive>(prim: P, rule: BatchRule): P {
  prim.rules.batch = rule;
  return prim;
}

/** One-operand primitives that act per element (or per trailing axes): the batch axis stays where it is. */
export function defvectorized<P extends Primitive>(prim: P): P {
  return defbatch(prim, (args, dims, params) => {
    const outs = prim.bind(args, params);
    return [outs, outs.map(() => dims[0] ?? null)];
  });
}

/**
 * N-ary elementwise primitives on equal shapes: operands are aligned on the first batched operand's
 * batch axis (others are moved there; unbatched ones are broadcast there), so aligned ones stay put.
 */
export function defbroadcasting<P extends Primitive>(prim: P): P {
  return defbatch(prim, (args, dims, params) => {
    const size = axisSizeOf(args, dims);
    const d = dims.find((b) => b !== null)!;
    const outs = prim.bind(args.map((x, i) => matchAxis(x, dims[i] ?? null, d, size)), params);
    return [outs, outs.map(() => d)];
  });
}

/** Reductions over `params.axes` of one operand: the axes skip the batch axis, which survives. */
export function defreducer<P extends Primitive>(prim: P): P {
  return defbatch(prim, ([x], [bdim], params) => {
    const d = bdim!;
    const axes = (params.axes as number[]).map((a) => (a >= d ? a + 1 : a));
    const outDim = d - axes.filter((a) => a < d).length;
    const outs = prim.bind([x!], { ...params, axes });
    return [outs, outs.map(() => outDim)];
  });
}

// ---- the batch trace ----

export class BatchTracer extends Tracer {
  readonly trace: BatchTrace;
  #aval: ShapedArray | undefined;
  constructor(
    trace: BatchTrace,
    readonly val: Array,
    readonly batchDim: BatchDim,
  ) {
    super();
    this.trace = trace;
  }
  get aval(): ShapedArray {
    return (this.#aval ??= mappedAval(this.val.aval, this.batchDim));
  }
  override fullLower(): Array {
    if (this.batchDim !== null) return this;
    return this.val instanceof Tracer ? this.val.fullLower() : this.val;
  }
}

export class BatchTrace extends Trace {
  /** The size of the mapped axis. */
  get axisSize(): number {
    return this.main.globalData as number;
  }

  pure(x: Array): BatchTracer {
    return new BatchTracer(this, x, null);
  }

  processPrimitive(primitive: Primitive, tracers: Array[], params: Params): Array[] {
    const ins = tracers as BatchTracer[];
    const vals = ins.map((t) => t.val);
    const dims = ins.map((t) => t.batchDim);
    // Nothing batched in: the result is the same for every example, computed one level down.
    if (dims.every((d) => d === null)) return primitive.bind(vals, params);
    const rule = primitive.rules.batch;
    if (!rule) throw new Error(`Batching rule for '${primitive.name}' not implemented`);
    const [outs, outDims] = rule(vals, dims, params);
    return outs.map((o, i) => {
      const d = outDims[i] ?? null;
      return d === null ? o : new BatchTracer(this, o, d);
    });
  }
}

/**
 * `fn` vectorised over flat arguments: `args[i]` is batched along `dims[i]` (null: not mapped) with
 * `axisSize` examples. Returns the outputs' values and their batch axes (null: not batched).
 */
export function batchFlat(fn: (...xs: Array[]) => Array[], args: Array[], dims: BatchDim[], axisSize: number): BatchResult {
  return withMainTrace(BatchTrace, axisSize, (main) => runBatched(new BatchTrace(main), fn, args, dims));
}

/** `fn` on `args` wrapped as tracers of `trace` (where batched); its outputs' values and batch axes. */
export function runBatched(trace: BatchTrace, fn: (...xs: Array[]) => Array[], args: Array[], dims: BatchDim[]): BatchResult {
  const outs = fn(...args.map((x, i) => (dims[i] === null ? x : new BatchTracer(trace, x, dims[i]!))));
  const vals: Array[] = [];
  const outDims: BatchDim[] = [];
  for (const o of outs) {
    const own = o instanceof BatchTracer && o.trace.main === trace.main;
    vals.push(own ? o.val : o);
    outDims.push(own ? o.batchDim : null);
  }
  return [vals, outDims];
}

// ---- call primitives (jit's pjit) ----

export interface BatchedJaxpr {
  /** The call's jaxpr on batched operands (its constants are new leading operands). */
  jaxpr: ClosedJaxpr;
  outDims: BatchDim[];
}

const batchCache = new WeakMap<ClosedJaxpr, Map<string, BatchedJaxpr>>();

/** A call's jaxpr batched along `dims` of its operands (constants first), cached so it compiles once. */
export function batchJaxpr(closed: ClosedJaxpr, dims: BatchDim[], axisSize: number): BatchedJaxpr {
  let byDims = batchCache.get(closed);
  if (!byDims) batchCache.set(closed, (byDims = new Map()));
  const key = `${axisSize}|${dims.map((d) => (d === null ? '-' : d)).join(',')}`;
  const hit = byDims.get(key);
  if (hit) return hit;
  const jaxpr = openJaxpr(closed);
  let outDims: BatchDim[] = [];
  const traced = traceToJaxpr((...xs) => {
    const [outs, ds] = batchFlat((...ts) => evalJaxpr(jaxpr, ts), xs, dims, axisSize);
    outDims = ds;
    return outs;
  }, jaxpr.inAvals.map((a, i) => unmappedAval(a, dims[i] ?? null, axisSize)));
  const result = { jaxpr: new ClosedJaxpr(dce(traced.jaxpr), traced.consts), outDims };
  byDims.set(key, result);
  return result;
}

// ---- jaxprs held by control-flow primitives (cond, while, scan) ----

export interface BatchedJaxprAxes {
  /** The jaxpr on batched inputs (its constants, concrete arrays the rules made, in `consts`). */
  jaxpr: ClosedJaxpr;
  /** Which outputs are batched; each has its batch axis at the requested position. */
  outBatched: boolean[];
}

const axesCache = new WeakMap<ClosedJaxpr, Map<string, BatchedJaxprAxes>>();

/**
 * `closed` (its constants, if any, as leading inputs) batched along `inDims` of its inputs, as
 * JAX's batch_jaxpr_axes: batched outputs get their batch axis at `outDim`, and outputs marked in
 * `instantiate` are batched (broadcast) even when they are the same for every example, so that loop
 * carries and branch outputs keep one type. Cached per jaxpr and axes, so transformed programs
 * keep their identity (and compile once).
 */
export function batchJaxprAxes(closed: ClosedJaxpr, inDims: BatchDim[], axisSize: number, instantiate: boolean[] | boolean = false, outDim = 0): BatchedJaxprAxes {
  let byKey = axesCache.get(closed);
  if (!byKey) axesCache.set(closed, (byKey = new Map()));
  const inst = closed.outAvals.map((_, i) => (typeof instantiate === 'boolean' ? instantiate : (instantiate[i] ?? false)));
  const key = `${axisSize}|${inDims.map((d) => (d === null ? '-' : d)).join(',')}|${inst.map(Number).join('')}|${outDim}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const jaxpr = openJaxpr(closed);
  let outBatched: boolean[] = [];
  const traced = traceToJaxpr((...xs) => {
    const [outs, ds] = batchFlat((...ts) => evalJaxpr(jaxpr, ts), xs, inDims, axisSize);
    outBatched = ds.map((d, i) => d !== null || inst[i]!);
    return outs.map((o, i) => (outBatched[i] ? matchAxis(o, ds[i] ?? null, outDim, axisSize) : o));
  }, jaxpr.inAvals.map((a, i) => unmappedAval(a, inDims[i] ?? null, axisSize)));
  const result = { jaxpr: new ClosedJaxpr(dce(traced.jaxpr), traced.consts), outBatched };
  byKey.set(key, result);
  return result;
}
