// Sorting and order statistics: sort, argsort, searchsorted, cumsum/cumprod and median, with
// jnp's axis handling and dtype rules, built on lax's sort and cumulative primitives.
import type { Array, ArrayLike } from '../core/array.js';
import { canonicalizeDType, checkDType, defaultFloatDType, defaultIntDType, isBool, isComplex, isFloating, isInexact, resultType, type DType } from '../core/dtypes.js';
import type { Primitive } from '../core/primitive.js';
import * as lax from '../lax/index.js';
import { asarray, broadcastTo, convertTo } from './convert.js';
import { take } from './indexing.js';
import { any, normalizeAxes, type Axis } from './reductions.js';
import { reshape, transpose } from './shape.js';
import { isnan, notEqual, where } from './ufuncs.js';

/** A flattened array and axis 0 for `axis = null`, else the normalised axis. */
function axisOrFlat(op: string, a: Array, axis: number | null | undefined): [Array, number] {
  if (axis === null || axis === undefined) return [reshape(a, [a.size]), 0];
  return [a, normalizeAxes(op, axis, a.ndim)[0]!];
}

export interface SortOptions {
  axis?: number | null;
  stable?: boolean;
  descending?: boolean;
}

function parseSort(axisOrOptions: number | null | SortOptions, options: SortOptions): SortOptions {
  return axisOrOptions !== null && typeof axisOrOptions === 'object' ? axisOrOptions : { ...options, axis: axisOrOptions };
}

/** jnp.sort(a, axis = -1, { stable, descending }): `axis = null` sorts the flattened array. NaNs sort last. */
export function sort(a: ArrayLike, axis: number | null | SortOptions = -1, options: SortOptions = {}): Array {
  const o = parseSort(axis, options);
  const [x, dim] = axisOrFlat('sort', asarray(a), o.axis === undefined ? -1 : o.axis);
  const sorted = lax.sort(x, { dimension: dim, isStable: o.stable ?? true });
  return o.descending ? lax.rev.bind1([sorted], { dimensions: [dim] }) : sorted;
}

/** jnp.argsort(a, axis = -1, { stable = true, descending = false }): default-int indices that sort `a`. */
export function argsort(a: ArrayLike, axis: number | null | SortOptions = -1, options: SortOptions = {}): Array {
  const o = parseSort(axis, options);
  const stable = o.stable ?? true;
  let [x, dim] = axisOrFlat('argsort', asarray(a), o.axis === undefined ? -1 : o.axis);
  let iota = lax.iota.bind1([], { dtype: defaultIntDType(), shape: x.shape, dimension: dim });
  // a stable descending sort reverses first, so that equal keys keep their order once reversed back
  if (o.descending && stable) {
    x = lax.rev.bind1([x], { dimensions: [dim] });
    iota = lax.rev.bind1([iota], { dimensions: [dim] });
  }
  const [, indices] = lax.sortKeyVal(x, iota, { dimension: dim, isStable: stable });
  return o.descending ? lax.rev.bind1([indices], { dimensions: [dim] }) : indices;
}

// ---- searchsorted ----

const filled = (value: number, like: Array): Array => broadcastTo(asarray(value, like.dtype), like.shape);

/** Keys in sort order: zeros as +0.0 and NaNs as +NaN (so NaNs are last); complex as (real, imag). */
function sortKeys(x: Array): Array[] {
  const canonical = (v: Array) => {
    const zeroed = lax.selectN.bind1([lax.eq.bind1([v, filled(0, v)]), v, filled(0, v)]);
    return lax.selectN.bind1([lax.ne.bind1([v, v]), zeroed, filled(NaN, v)]);
  };
  if (isComplex(x.dtype)) return [canonical(lax.real.bind1([x])), canonical(lax.imag.bind1([x]))];
  return isFloating(x.dtype) ? [canonical(x)] : [x];
}

/** x < y (or x <= y) in the sort order, lexicographic over the keys (JAX's _sort_lt/_sort_le_comparator). */
function sortLess(x: Array, y: Array, orEqual: boolean): Array {
  const [xs, ys] = [sortKeys(x), sortKeys(y)];
  let p = (orEqual ? lax.leTo : lax.ltTo).bind1([xs.at(-1)!, ys.at(-1)!]);
  for (let i = xs.length - 2; i >= 0; i--) {
    const tie = lax.and.bind1([lax.eqTo.bind1([xs[i]!, ys[i]!]), p]);
    p = lax.or.bind1([lax.ltTo.bind1([xs[i]!, ys[i]!]), tie]);
  }
  return p;
}

export interface SearchsortedOptions {
  side?: 'left' | 'right';
  /** Indices that sort `a` (as from argsort), when `a` itself is not sorted. */
  sorter?: ArrayLike | null;
}

/**
 * jnp.searchsorted(a, v, side = 'left', { sorter }): where `v`'s values would go in the sorted
 * 1-d `a` (int32).
 * Counts the entries of `a` before each value in sort order (JAX's 'compare_all' method; the
 * same results as its default binary search for a sorted `a`).
 */
export function searchsorted(a: ArrayLike, v: ArrayLike, side: 'left' | 'right' | SearchsortedOptions = 'left', options: SearchsortedOptions = {}): Array {
  const o = typeof side === 'string' ? { ...options, side } : side;
  side = o.side ?? 'left';
  if (side !== 'left' && side !== 'right') throw new RangeError(`invalid argument side=${JSON.stringify(side)}, expected 'left' or 'right'`);
  let [sorted, query] = [asarray(a), asarray(v)];
  if (sorted.ndim !== 1) throw new TypeError(`searchsorted: a should be 1-dimensional, got shape (${sorted.shape.join(', ')})`);
  const { dtype, weak } = resultType(sorted, query);
  [sorted, query] = [convertTo(sorted, dtype, weak), convertTo(query, dtype, weak)];
  if (o.sorter !== null && o.sorter !== undefined) sorted = take(sorted, o.sorter);
  const n = sorted.shape[0]!;
  if (n === 0) return broadcastTo(asarray(0, 'int32'), query.shape);
  const shape = [n, ...query.shape];
  const aB = lax.broadcastInDim.bind1([sorted], { shape, broadcast_dimensions: [0] });
  const vB = lax.broadcastInDim.bind1([query], { shape, broadcast_dimensions: query.shape.map((_, i) => i + 1) });
  const before = sortLess(aB, vB, side === 'right');
  return lax.reduceSum.bind1([lax.convertElementType.bind1([before], { new_dtype: 'int32', weak_type: false })], { axes: [0] });
}

// ---- cumulative sums and products ----

export interface CumulativeOptions {
  axis?: number | null;
  dtype?: DType | null;
}

/**
 * jnp.cumsum(a, axis = null, dtype = null) and cumprod (or `{ axis, dtype }`): `axis = null`
 * flattens; bools accumulate in the default int; other dtypes keep theirs (cumsum(i8) is i8).
 */
function cumulative(op: string, primitive: Primitive) {
  return (a: ArrayLike, axis: number | null | CumulativeOptions = null, dtype: DType | null | CumulativeOptions = null): Array => {
    const options = dtype !== null && typeof dtype === 'object' ? dtype : { dtype };
    const o = axis !== null && typeof axis === 'object' ? axis : { ...options, axis };
    let x = asarray(a);
    if (o.axis === null || o.axis === undefined || x.ndim === 0) x = reshape(x, [x.size]);
    const dim = normalizeAxes(op, o.axis ?? 0, x.ndim)[0]!;
    let result: DType;
    let computation: DType;
    if (!o.dtype) {
      result = computation = isBool(x.dtype) ? defaultIntDType() : x.dtype;
    } else if (o.dtype === 'bool') {
      // bool output: accumulate `x != 0` as integers (so [-1, 1] cannot cancel), then cast back
      result = 'bool';
      if (!isBool(x.dtype)) x = notEqual(x, 0);
      computation = defaultIntDType();
    } else {
      result = computation = canonicalizeDType(checkDType(o.dtype, op));
    }
    const out = primitive.bind1([convertTo(x, computation, false)], { axis: dim, reverse: false });
    return convertTo(out, result, false);
  };
}

export const cumsum = cumulative('cumsum', lax.cumsumP);
export const cumprod = cumulative('cumprod', lax.cumprodP);

// ---- median ----

/**
 * jnp.median(a, axis?, { keepdims }): the midpoint quantile, computed in the inexact dtype;
 * a NaN anywhere along the reduced axes makes that result NaN.
 */
export function median(a: ArrayLike, axis: Axis | { axis?: Axis; keepdims?: boolean } = null, options: { keepdims?: boolean } = {}): Array {
  const o = axis !== null && typeof axis === 'object' && !globalThis.Array.isArray(axis) ? (axis as { axis?: Axis; keepdims?: boolean }) : { ...options, axis: axis as Axis };
  let x = asarray(a);
  if (isComplex(x.dtype)) throw new TypeError('quantile does not support complex input, as the operation is poorly defined.');
  if (!isInexact(x.dtype)) x = convertTo(x, defaultFloatDType(), x.weakType);
  const keepdims = o.keepdims ?? false;
  let keptShape: number[] | null = null;
  let dim: number;
  if (o.axis === null || o.axis === undefined) {
    if (keepdims) keptShape = x.shape.map(() => 1);
    [x, dim] = [reshape(x, [x.size]), 0];
  } else if (typeof o.axis !== 'number') {
    // several axes: move the others first and merge the reduced ones into a last axis
    const axes = normalizeAxes('median', o.axis, x.ndim);
    if (keepdims) keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const kept = x.shape.flatMap((_, i) => (axes.includes(i) ? [] : [i]));
    x = reshape(transpose(x, [...kept, ...axes]), [...kept.map((i) => x.shape[i]!), axes.reduce((p, i) => p * x.shape[i]!, 1)]);
    dim = x.ndim - 1;
  } else {
    dim = normalizeAxes('median', o.axis, x.ndim)[0]!;
  }
  const n = x.shape[dim]!;
  // an integer axis with keepdims keeps the reduced dimension; other forms reshape at the end
  const keep = keepdims && typeof o.axis === 'number';
  // JAX fails here too (an out-of-range gather); say why
  if (n === 0) throw new RangeError(`median: cannot take the median over an empty axis of shape (${x.shape.join(', ')})`);
  x = where(any(isnan(x), dim, { keepdims: true }), NaN, x);
  const sorted = lax.sort(x, { dimension: dim });
  // q * (n - 1) with q = 0.5: the middle entry, or the two middle ones
  const low = lax.indexInDim(sorted, Math.floor((n - 1) / 2), dim, keep);
  const high = lax.indexInDim(sorted, Math.ceil((n - 1) / 2), dim, keep);
  const sum = lax.add.bind1([low, high]);
  const result = lax.mul.bind1([sum, filled(0.5, sum)]);
  return keptShape ? reshape(result, keptShape) : result;
}
