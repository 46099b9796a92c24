// Sorting: sort (several operands ordered by the first num_keys), top_k, and the total-order
// comparisons eq_to/lt_to/le_to that sort's comparator and searchsorted are made of.
import type { Array } from '../core/array.js';
import { ShapedArray, shapeStr } from '../core/aval.js';
import { isComplex, isFloating, isInexact, isSignedInteger, type DType } from '../core/dtypes.js';
import { Primitive, type Params } from '../core/primitive.js';
import { defjvpZero, defrules, type JvpRule } from '../interpreters/ad.js';
import { axisSizeOf, matchAxis, type BatchDim, type BatchResult } from '../interpreters/batching.js';
import { i64Array, type LoweringContext, type Value } from '../lowering/context.js';
import { batchedAxis } from './batch_helpers.js';
import { iota } from './convert.js';
import { binary } from './elementwise.js';
import { expandDims, gather, GatherDimensionNumbers } from './slicing.js';

/** `stablehlo.compare`; TOTALORDER for inexact dtypes when `totalOrder` (JAX's *_to primitives). */
function compare(ctx: LoweringContext, direction: string, a: Value, b: Value, totalOrder: boolean): Value {
  const d = a.aval.dtype;
  const type = isInexact(d) ? (totalOrder ? 'TOTALORDER' : 'FLOAT') : isSignedInteger(d) ? 'SIGNED' : 'UNSIGNED';
  return ctx.op1('stablehlo.compare', [a, b], new ShapedArray(a.aval.shape, 'bool'), {
    comparison_direction: `#stablehlo<comparison_direction ${direction}>`,
    compare_type: `#stablehlo<comparison_type ${type}>`,
  });
}

function totalOrderComparison(name: string, direction: string, accepted: (d: DType) => boolean): Primitive {
  return binary(name, accepted, accepted === isAny ? 'any' : 'ordered', (ctx, [a, b]) => compare(ctx, direction, a!, b!, true), () => 'bool');
}
const isAny = (): boolean => true;
const isOrdered = (d: DType): boolean => !isComplex(d);
/** Comparisons in the total order (-0.0 < +0.0, NaNs at the ends), as JAX's eq_to/lt_to/le_to. */
export const eqTo = defjvpZero(totalOrderComparison('eq_to', 'EQ', isAny));
export const ltTo = defjvpZero(totalOrderComparison('lt_to', 'LT', isOrdered));
export const leTo = defjvpZero(totalOrderComparison('le_to', 'LE', isOrdered));

/**
 * The sort keys of one operand: -0.0 made +0.0 and every NaN made the positive quiet NaN, so
 * the total order puts zeros together and NaNs last (JAX's _canonicalize_float_for_sort); complex
 * values give their (real, imag) parts.
 */
function sortKeys(ctx: LoweringContext, x: Value): Value[] {
  const canonical = (v: Value) => {
    const zero = ctx.constant(0, v.aval);
    const zeroed = ctx.op1('stablehlo.select', [compare(ctx, 'EQ', v, zero, false), ctx.constant(0, v.aval), v], v.aval);
    return ctx.op1('stablehlo.select', [compare(ctx, 'NE', v, v, false), ctx.constant(NaN, v.aval), zeroed], v.aval);
  };
  const d = x.aval.dtype;
  if (isComplex(d)) {
    const part = new ShapedArray(x.aval.shape, d === 'complex64' ? 'float32' : 'float64');
    return [canonical(ctx.op1('stablehlo.real', [x], part)), canonical(ctx.op1('stablehlo.imag', [x], part))];
  }
  return isFloating(d) ? [canonical(x)] : [x];
}

/** x < y lexicographically over the keys, the first key primary (JAX's _sort_lt_comparator). */
function lexicographicLess(ctx: LoweringContext, xKeys: Value[], yKeys: Value[]): Value {
  let p: Value | undefined;
  for (let i = xKeys.length - 1; i >= 0; i--) {
    const [xk, yk] = [xKeys[i]!, yKeys[i]!];
    if (!p) {
      p = compare(ctx, 'LT', xk, yk, true);
      continue;
    }
    const tie = ctx.op1('stablehlo.and', [compare(ctx, 'EQ', xk, yk, true), p], p.aval);
    p = ctx.op1('stablehlo.or', [compare(ctx, 'LT', xk, yk, true), tie], p.aval);
  }
  return p!;
}

/** sort[dimension, is_stable, num_keys]: sorts all operands by the first num_keys along `dimension`. */
export const sortP: Primitive = defrules(new Primitive(
  'sort',
  {
    abstractEval: (avals, params) => {
      if (avals.length === 0) throw new TypeError('Sort requires at least one operand');
      if (avals.some((a) => a.shape.length !== avals[0]!.shape.length || a.shape.some((d, i) => d !== avals[0]!.shape[i]))) {
        throw new TypeError(`Arguments to sort must have equal shapes, got: ${avals.map((a) => shapeStr(a.shape)).join(' ')}`);
      }
      const dimension = params.dimension as number;
      const numKeys = params.num_keys as number;
      if (!Number.isInteger(dimension) || dimension < 0 || dimension >= avals[0]!.ndim) {
        throw new RangeError(`sort: dimension ${dimension} is out of bounds for array of shape ${shapeStr(avals[0]!.shape)}`);
      }
      if (!Number.isInteger(numKeys) || numKeys < 1 || numKeys > avals.length) throw new RangeError(`num_keys=${numKeys} must be between 1 and len(operand)=${avals.length}`);
      return avals;
    },
    lower: (ctx, args, params, outAvals) => {
      const numKeys = params.num_keys as number;
      const scalars = args.flatMap((a) => [new ShapedArray([], a.aval.dtype), new ShapedArray([], a.aval.dtype)]);
      const comparator = ctx.region(scalars, (inner, xs) => {
        const keys = (offset: number) => xs.filter((_, i) => i % 2 === offset && i < 2 * numKeys).flatMap((v) => sortKeys(inner, v));
        return [lexicographicLess(inner, keys(0), keys(1))];
      });
      return ctx.op('stablehlo.sort', args, outAvals, { dimension: `${params.dimension as number} : i64`, is_stable: String(params.is_stable) }, [comparator]);
    },
    batch: sortBatch,
  },
  { multipleResults: true },
), { jvp: sortJvp });

export interface SortOptions {
  dimension?: number;
  isStable?: boolean;
  numKeys?: number;
}

function canonicalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) throw new RangeError(`${op}: axis ${axis} is out of bounds for array of dimension ${ndim}`);
  return axis < 0 ? axis + ndim : axis;
}

/**
 * lax.sort: one operand gives one sorted array; several give arrays permuted together, ordered
 * lexicographically by the first `numKeys`. Floats: -0.0 equals 0.0 and NaNs go last; complex
 * values order by (real, imag).
 */
export function sort(operand: Array, options?: SortOptions): Array;
export function sort(operand: readonly Array[], options?: SortOptions): Array[];
export function sort(operand: Array | readonly Array[], options: SortOptions = {}): Array | Array[] {
  const { dimension = -1, isStable = true, numKeys = 1 } = options;
  if (globalThis.Array.isArray(operand)) {
    const operands = operand as readonly Array[];
    if (operands.length === 0) throw new TypeError('Sort requires at least one operand');
    if (!(numKeys >= 1 && numKeys <= operands.length)) throw new RangeError(`num_keys=${numKeys} must be between 1 and len(operand)=${operands.length}`);
    const dim = canonicalizeAxis('sort', dimension, operands[0]!.ndim);
    return sortP.bind([...operands], { dimension: dim, is_stable: isStable, num_keys: numKeys });
  }
  const single = operand as Array;
  if (numKeys !== 1) throw new RangeError(`num_keys=${numKeys} must equal 1 for a single operand.`);
  return sortP.bind([single], { dimension: canonicalizeAxis('sort', dimension, single.ndim), is_stable: isStable, num_keys: 1 })[0]!;
}

/** lax.sort_key_val: sorts `keys` and applies the same permutation to `values`. */
export function sortKeyVal(keys: Array, values: Array, options: Omit<SortOptions, 'numKeys'> = {}): [Array, Array] {
  const { dimension = -1, isStable = true } = options;
  const [k, v] = sortP.bind([keys, values], { dimension: canonicalizeAxis('sort_key_val', dimension, keys.ndim), is_stable: isStable, num_keys: 1 });
  return [k!, v!];
}

/** top_k[k, axis]: the k largest values along `axis` (largest first, ties by lower index) and their int32 indices. */
export const topKP: Primitive = defrules(new Primitive(
  'top_k',
  {
    abstractEval: ([x], params) => {
      const k = params.k as number;
      const axis = params.axis as number;
      if (isComplex(x!.dtype)) throw new TypeError('top_k is not compatible with complex inputs.');
      if (!Number.isInteger(k) || k < 0) throw new RangeError(`k argument to top_k must be nonnegative, got ${k}`);
      if (x!.ndim === 0) throw new TypeError(`top_k operand must have >= 1 dimension, got ${shapeStr(x!.shape)}`);
      if (!(axis >= 0 && axis < x!.ndim)) throw new RangeError(`axis argument out of range: axis=${axis} for operand.shape=${shapeStr(x!.shape)}`);
      if (x!.shape[axis]! < k) {
        throw new RangeError(`k argument to top_k must be no larger than size along axis; got k=${k} with shape=${JSON.stringify(x!.shape)} and axis=${axis}`);
      }
      const shape = x!.shape.map((d, i) => (i === axis ? k : d));
      return [new ShapedArray(shape, x!.dtype, x!.weakType), new ShapedArray(shape, 'int32')];
    },
    lower: (ctx, [x], params, [values, indices]) => {
      // chlo.top_k works on the last axis: move `axis` there and back, as JAX does
      const axis = params.axis as number;
      const last = x!.aval.ndim - 1;
      const perm = x!.aval.shape.map((_, i) => (i === axis ? last : i === last ? axis : i));
      const moved = (a: ShapedArray) => new ShapedArray(perm.map((p) => a.shape[p]!), a.dtype);
      const permute = (v: Value) => ctx.op1('stablehlo.transpose', [v], moved(v.aval), { permutation: i64Array(perm) });
      if (axis === last) return ctx.op('chlo.top_k', [x!], [values!, indices!], { k: `${params.k as number} : i64` });
      return ctx.op('chlo.top_k', [permute(x!)], [moved(values!), moved(indices!)], { k: `${params.k as number} : i64` }).map(permute);
    },
    batch: ([x], [bdim], params) => [topKP.bind([x!], { ...params, axis: batchedAxis(params.axis as number, bdim!) }), [bdim!, bdim!]],
  },
  { multipleResults: true },
), { jvp: topKJvp });

/** lax.top_k: `[values, indices]` of the `k` largest entries along `axis` (default the last). */
export function topK(operand: Array, k: number, options: { axis?: number } = {}): [Array, Array] {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k argument to top_k must be nonnegative, got ${k}`);
  const axis = canonicalizeAxis('top_k', options.axis ?? -1, operand.ndim);
  const [values, indices] = topKP.bind([operand], { axis, k });
  return [values!, indices!];
}

// ---- differentiation rules (JAX's _sort_jvp and _top_k_jvp) ----

/** Takes `t`'s elements along `axis` at `indices` (shaped like the result), one per position: a batched gather. */
function takeAlong(t: Array, indices: Array, axis: number): Array {
  const others = indices.shape.map((_, i) => i).filter((i) => i !== axis);
  return gather.bind1([t, expandDims(indices, [indices.ndim])], {
    dimension_numbers: new GatherDimensionNumbers({
      offset_dims: [],
      collapsed_slice_dims: [axis],
      start_index_map: [axis],
      operand_batching_dims: others,
      start_indices_batching_dims: others,
    }),
    slice_sizes: indices.shape.map(() => 1),
    indices_are_sorted: false,
    unique_indices: false,
    mode: 'promise_in_bounds',
    fill_value: null,
  });
}

/** sort: an iota sorted along with the operands records the permutation, which the tangents then follow. */
function sortJvp(...[primals, tangents, params]: Parameters<JvpRule>): ReturnType<JvpRule> {
  const shape = primals[0]!.shape;
  const dimension = params.dimension as number;
  const indexType = shape.some((d) => d > 2 ** 32 - 1) ? 'uint64' : 'uint32';
  const sorted = sortP.bind([...primals, iota.bind1([], { dtype: indexType, shape, dimension })], params);
  const permutation = sorted[primals.length]!;
  return [sorted.slice(0, primals.length), tangents.map((t) => (t ? takeAlong(t, permutation, dimension) : null))];
}

/** top_k: the tangent at the indices of the top values. */
function topKJvp(...[[x], [t], params]: Parameters<JvpRule>): ReturnType<JvpRule> {
  const [values, indices] = topKP.bind([x!], params);
  return [[values!, indices!], [t ? takeAlong(t, indices!, params.axis as number) : null, null]];
}

// ---- batching rule (JAX's _sort_batch_rule) ----

/** sort: operands aligned on the first batched one's axis (unbatched ones broadcast there); the sort axis skips it. */
function sortBatch(args: Array[], dims: BatchDim[], params: Params): BatchResult {
  const size = axisSizeOf(args, dims);
  const d = dims.find((b) => b !== null)!;
  const outs = sortP.bind(args.map((x, i) => matchAxis(x, dims[i] ?? null, d, size)), { ...params, dimension: batchedAxis(params.dimension as number, d) });
  return [outs, outs.map(() => d)];
}
