// Reductions with NumPy's axis handling and JAX's result dtypes.
import type { Array, ArrayLike } from '../core/array.js';
import { defaultIntDType, toInexactDType, defaultUIntDType, iinfo, isBool, isInexact, isSignedInteger, isUnsignedInteger, itemsize, type DType } from '../core/dtypes.js';
import type { Primitive } from '../core/primitive.js';
import * as lax from '../lax/index.js';
import { asarray, astype, convertTo } from './convert.js';
import { where } from './ufuncs.js';

export type Axis = number | readonly number[] | null | undefined;

export interface ReductionOptions {
  axis?: Axis;
  keepdims?: boolean;
  dtype?: DType;
  /** A scalar the reduction starts from (combined with the result, as JAX does). */
  initial?: number | boolean | bigint | Array;
  /** Only elements where this (broadcastable) mask is true take part. */
  where?: ArrayLike;
}

/** Normalised, sorted, non-negative axes; errors name the op, the axis and the rank. */
export function normalizeAxes(op: string, axis: Axis, ndim: number): number[] {
  if (axis === null || axis === undefined) return [...globalThis.Array(ndim).keys()];
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -ndim || a >= ndim) throw new RangeError(`${op}: axis ${a} is out of bounds for array of dimension ${ndim}`);
    return a < 0 ? a + ndim : a;
  });
  if (new Set(out).size !== out.length) throw new RangeError(`${op}: repeated axis in ${JSON.stringify(list)}`);
  return out.sort((a, b) => a - b);
}

function keepDims(x: Array, shape: readonly number[], axes: number[]): Array {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return lax.reshape.bind1([x], { new_sizes: kept });
}

/** sum/prod of small integers and bools accumulate in the default int (JAX's rule). */
function accumulationDType(d: DType): DType {
  if (isBool(d)) return defaultIntDType();
  if (isSignedInteger(d) && itemsize(d) < itemsize(defaultIntDType())) return defaultIntDType();
  if (isUnsignedInteger(d) && itemsize(d) < itemsize(defaultUIntDType())) return defaultUIntDType();
  return d;
}

function parse(axisOrOptions: Axis | ReductionOptions, options: ReductionOptions): ReductionOptions {
  if (axisOrOptions !== null && typeof axisOrOptions === 'object' && !globalThis.Array.isArray(axisOrOptions)) return axisOrOptions as ReductionOptions;
  return { ...options, axis: axisOrOptions as Axis };
}

/** The identity a reduction starts from, in dtype `d` (max: -inf or the smallest integer). */
function identity(op: string, d: DType): number | boolean | bigint {
  const lowest = op === 'max';
  if (isBool(d)) return op === 'sum' || op === 'any' || lowest ? false : true;
  if (op === 'sum' || op === 'any') return 0;
  if (op === 'prod' || op === 'all') return 1;
  if (isInexact(d)) return lowest ? -Infinity : Infinity;
  const info = iinfo(d);
  return lowest ? info.min : info.max;
}

const scalarOf = (v: number | boolean | bigint | Array, d: DType): Array => convertTo(asarray(v), d, false);

/**
 * A reduction as JAX's _reduction: `where` masks elements to the identity, `initial` is combined
 * with the result; reductions without an identity (max, min) need `initial` for a mask or an empty axis.
 */
/** JAX's _upcast_f16: half-precision floats are summed and multiplied in float32. */
const upcastF16 = (d: DType): DType => (d === 'float16' || d === 'bfloat16' ? 'float32' : d);

function reduction(op: string, primitive: Primitive, dtypeRule: (d: DType) => DType, combine: Primitive, hasIdentity = true, upcast = false) {
  return (x: ArrayLike, axisOrOptions: Axis | ReductionOptions = undefined, options: ReductionOptions = {}): Array => {
    const o = parse(axisOrOptions, options);
    let a = asarray(x);
    if (o.initial === undefined && !hasIdentity && o.where !== undefined) {
      throw new Error(`reduction operation ${op} does not have an identity, so to use a where mask one has to specify 'initial'`);
    }
    const axes = normalizeAxes(op, o.axis, a.ndim);
    if (o.initial === undefined && !hasIdentity && axes.some((i) => a.shape[i] === 0)) {
      throw new Error(`zero-size array to reduction operation ${op} which has no identity`);
    }
    const target = o.dtype ?? dtypeRule(a.dtype);
    const weak = a.weakType;
    const computation = upcast && o.dtype === undefined ? upcastF16(target) : target;
    a = convertTo(a, computation, weak);
    if (o.where !== undefined) {
      const init = scalarOf(identity(op, computation), computation);
      a = where(o.where, a, convertTo(init, computation, weak));
    }
    let out = primitive.bind1([a], { axes });
    if (o.initial !== undefined) {
      const init = scalarOf(o.initial, computation);
      if (init.ndim !== 0) throw new Error(`initial value must be a scalar. Got array of shape (${init.shape.join(', ')})`);
      out = combine.bind1([lax.broadcastInDim.bind1([init], { shape: out.shape, broadcast_dimensions: [] }), out]);
    }
    out = convertTo(out, target, weak);
    return o.keepdims ? keepDims(out, a.shape, axes) : out;
  };
}

export const sum = reduction('sum', lax.reduceSum, accumulationDType, lax.add, true, true);
export const prod = reduction('prod', lax.reduceProd, accumulationDType, lax.mul, true, true);
export const max = reduction('max', lax.reduceMax, (d) => d, lax.max, false);
export const min = reduction('min', lax.reduceMin, (d) => d, lax.min, false);
export const amax = max;
export const amin = min;

export const all = reduction('all', lax.reduceAnd, () => 'bool', lax.and);
export const any = reduction('any', lax.reduceOr, () => 'bool', lax.or);

/** mean: in the inexact dtype (integers and bools average in the default float). */
export function mean(x: ArrayLike, axisOrOptions: Axis | ReductionOptions = undefined, options: ReductionOptions = {}): Array {
  const o = parse(axisOrOptions, options);
  const a = asarray(x);
  const axes = normalizeAxes('mean', o.axis, a.ndim);
  const target = o.dtype ?? toInexactDType(a.dtype);
  const computation = o.dtype === undefined ? upcastF16(target) : target;
  const total = lax.reduceSum.bind1([convertTo(a, computation, a.weakType)], { axes });
  const count = axes.reduce((n, i) => n * a.shape[i]!, 1);
  const divisor = convertTo(asarray(count), computation, true);
  const out = convertTo(lax.div.bind1([total, lax.broadcastInDim.bind1([divisor], { shape: total.shape, broadcast_dimensions: [] })]), target, a.weakType);
  return o.keepdims ? keepDims(out, a.shape, axes) : out;
}

function argReduction(op: string, primitive: Primitive) {
  return (x: ArrayLike, axisOrOptions?: number | null | { axis?: number | null; keepdims?: boolean }, options: { keepdims?: boolean } = {}): Array => {
    let axis: number | null | undefined;
    if (axisOrOptions !== null && typeof axisOrOptions === 'object') {
      ({ axis, ...options } = axisOrOptions);
    } else axis = axisOrOptions;
    if (axis !== null && axis !== undefined && !Number.isInteger(axis)) {
      throw new TypeError(`${op}: axis must be an integer or null, got ${JSON.stringify(axis)}`); // JAX: operator.index(axis)
    }
    let a = asarray(x);
    if (axis === null || axis === undefined) {
      a = lax.reshape.bind1([a], { new_sizes: [a.size] });
      axis = 0;
    }
    const [ax] = normalizeAxes(op, axis, a.ndim);
    const out = primitive.bind1([a], { axes: [ax!], index_dtype: defaultIntDType() });
    return options.keepdims ? keepDims(out, a.shape, [ax!]) : out;
  };
}
export const argmax = argReduction('argmax', lax.argmax);
export const argmin = argReduction('argmin', lax.argmin);
