// Statistics over axes: var, std, average, ptp, countNonzero, with JAX's dtype rules
// (jax/_src/numpy/reductions.py): integers average in float32 (to_inexact_dtype), and
// float16/bfloat16 accumulate in float32.
import { Array, type ArrayLike } from '../core/array.js';
import { shapeStr } from '../core/aval.js';
import { canonicalizeDType, checkDType, defaultIntDType, isComplex, isInexact, resultType, type DType } from '../core/dtypes.js';
import * as lax from '../lax/index.js';
import { asarray, astype, broadcastTo, convertTo } from './convert.js';
import { max, min, normalizeAxes, sum, type Axis } from './reductions.js';
import { reshape, transpose } from './shape.js';
import { divide, multiply } from './ufuncs.js';

export interface StatisticsOptions {
  axis?: Axis;
  keepdims?: boolean;
  dtype?: DType;
}

export interface VarOptions extends StatisticsOptions {
  /** Delta degrees of freedom: the divisor is N - ddof. */
  ddof?: number;
  /** Another name for ddof (the array API's). */
  correction?: number;
}

/** A positional axis or an options object naming it, as in lib/numpy/reductions.ts. */
function parse<O extends StatisticsOptions>(axisOrOptions: Axis | O, options: O): O {
  if (axisOrOptions !== null && typeof axisOrOptions === 'object' && !globalThis.Array.isArray(axisOrOptions)) return axisOrOptions as O;
  return { ...options, axis: axisOrOptions as Axis };
}

// JAX's dtypes.to_inexact_dtype (the same table as mathematical.ts'; it belongs in lib/core/dtypes.ts).
const INEXACT_OF: Partial<Record<DType, DType>> = {
  bool: 'float32', int8: 'float32', int16: 'float32', int32: 'float32', int64: 'float64',
  uint8: 'float32', uint16: 'float32', uint32: 'float32', uint64: 'float64',
};
const toInexactDType = (d: DType): DType => canonicalizeDType(INEXACT_OF[d] ?? d);
const upcastF16 = (d: DType): DType => (d === 'float16' || d === 'bfloat16' ? 'float32' : d);
const realOf = (d: DType): DType => (d === 'complex64' ? 'float32' : d === 'complex128' ? 'float64' : d);

/** A scalar in `dtype` broadcast to `shape`. */
const scalar = (value: number, dtype: DType, shape: readonly number[]): Array => broadcastTo(asarray(value, dtype), shape);

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** The number of elements reduced over `axes`. */
const countOf = (x: Array, axes: number[]): number => axes.reduce((n, i) => n * x.shape[i]!, 1);

/** `shape` with the reduced `axes` kept as 1. */
const keepShape = (shape: readonly number[], axes: number[]): number[] => shape.map((d, i) => (axes.includes(i) ? 1 : d));

/** sum over axes in x's dtype (no accumulation-dtype change), keeping reduced axes as 1 if asked. */
function sumIn(x: Array, axes: number[], keepdims: boolean): Array {
  const out = lax.reduceSum.bind1([x], { axes });
  return keepdims ? lax.reshape.bind1([out], { new_sizes: keepShape(x.shape, axes) }) : out;
}

/** (result dtype, computation dtype) of var (JAX's _var_promote_types). */
function varTypes(op: string, a: DType, dtype: DType | undefined): [DType, DType] {
  if (dtype) {
    if (!isComplex(dtype) && isComplex(a)) {
      throw new TypeError(`jax.numpy.${op} does not yet support real dtype parameters when computing the variance of an array of complex values.`);
    }
    return [dtype, upcastF16(dtype)];
  }
  if (!isInexact(a)) return [toInexactDType(a), upcastF16(toInexactDType(a))];
  return [realOf(a), upcastF16(a)];
}

function variance(op: string, x: ArrayLike, o: VarOptions): Array {
  if (o.ddof !== undefined && o.correction !== undefined && o.ddof !== 0) throw new TypeError(`${op}: ddof and correction can't be provided simultaneously.`);
  const correction = o.correction ?? o.ddof ?? 0;
  let a = asarray(x);
  const axes = normalizeAxes(op, o.axis, a.ndim);
  const requested = o.dtype ? canonicalizeDType(checkDType(o.dtype, op)) : undefined;
  let [dtype, computation] = varTypes(op, a.dtype, requested);
  a = astype(a, computation);
  const count = countOf(a, axes);
  const mean = lax.div.bind1([sumIn(a, axes, true), scalar(count, computation, keepShape(a.shape, axes))]);
  let centered = lax.sub.bind1([a, broadcastTo(mean, a.shape)]);
  if (isComplex(computation)) {
    centered = lax.real.bind1([lax.mul.bind1([centered, lax.conj.bind1([centered])])]);
    computation = realOf(computation); // a real result: no cast back to complex
  } else {
    centered = lax.square.bind1([centered]);
  }
  const total = sumIn(centered, axes, o.keepdims ?? false);
  const normalizer = count - correction;
  const result = convertTo(lax.div.bind1([total, scalar(normalizer, computation, total.shape)]), dtype, false);
  // N - ddof <= 0 gives NaN, as in JAX (the divisor is static here)
  return normalizer > 0 ? result : scalar(NaN, dtype, result.shape);
}

/** Variance: mean(|x - mean(x)|²) * N / (N - ddof); integers give float32. */
function varFn(x: ArrayLike, axisOrOptions: Axis | VarOptions = undefined, options: VarOptions = {}): Array {
  return variance('var', x, parse(axisOrOptions, options));
}
export { varFn as var };

/** Standard deviation: sqrt(var). */
export function std(x: ArrayLike, axisOrOptions: Axis | VarOptions = undefined, options: VarOptions = {}): Array {
  const o = parse(axisOrOptions, options);
  if (o.dtype && !isInexact(canonicalizeDType(checkDType(o.dtype, 'std')))) throw new TypeError(`dtype argument to jnp.std must be inexact; got ${o.dtype}`);
  return lax.sqrt.bind1([variance('std', x, o)]);
}

export interface AverageOptions {
  axis?: Axis;
  weights?: ArrayLike | null;
  keepdims?: boolean;
  /** Also return the sum of the weights (broadcast to the average's shape). */
  returned?: boolean;
}

/** mean with JAX's rules: sum in float32 for 16-bit floats, divide, cast back. */
function mean(a: Array, axes: number[], keepdims: boolean): Array {
  const computation = upcastF16(a.dtype);
  const total = sumIn(convertTo(a, computation, a.weakType), axes, keepdims);
  const out = lax.div.bind1([total, broadcastTo(convertTo(asarray(countOf(a, axes)), computation, total.weakType), total.shape)]);
  return convertTo(out, a.dtype, false);
}

/** Weighted average over axes; without weights, the mean. */
export function average(a: ArrayLike, options: AverageOptions & { returned: true }): [Array, Array];
export function average(a: ArrayLike, axis: Axis, options: AverageOptions & { returned: true }): [Array, Array];
export function average(a: ArrayLike, axisOrOptions?: Axis | AverageOptions, options?: AverageOptions): Array;
export function average(a: ArrayLike, axisOrOptions: Axis | AverageOptions = undefined, options: AverageOptions = {}): Array | [Array, Array] {
  const o = parse(axisOrOptions as Axis | StatisticsOptions, options as StatisticsOptions) as AverageOptions;
  let x = asarray(a);
  const axes = normalizeAxes('average', o.axis, x.ndim);
  let avg: Array;
  let weightsSum: Array;
  if (o.weights === null || o.weights === undefined) {
    x = convertTo(x, toInexactDType(x.dtype), x.weakType);
    avg = mean(x, axes, o.keepdims ?? false);
    weightsSum = convertTo(asarray(countOf(x, axes)), avg.dtype, false);
  } else {
    let w = asarray(o.weights);
    const { dtype, weak } = resultType(x, w);
    [x, w] = [convertTo(x, toInexactDType(dtype), weak), convertTo(w, toInexactDType(dtype), weak)];
    if (!sameShape(x.shape, w.shape)) {
      if (o.axis === null || o.axis === undefined) throw new TypeError('average: Axis must be specified when shapes of a and weights differ.');
      // the axes in the order given, as JAX's canonicalize_axis_tuple
      const given = (typeof o.axis === 'number' ? [o.axis] : [...o.axis]).map((ax) => normalizeAxes('average', ax, x.ndim)[0]!);
      if (!sameShape(w.shape, given.map((ax) => x.shape[ax]!))) {
        throw new TypeError(`average: Shape of weights must be consistent with shape of a along specified axis; got weights ${shapeStr(w.shape)} for a ${shapeStr(x.shape)} and axis ${JSON.stringify(o.axis)}.`);
      }
      const order = given.map((ax, i) => [ax, i] as const).sort((p, q) => p[0] - q[0]).map(([, i]) => i);
      w = reshape(transpose(w, order), x.shape.map((d, i) => (given.includes(i) ? d : 1)));
    }
    weightsSum = sum(w, o.axis, { keepdims: o.keepdims ?? false });
    avg = divide(sum(multiply(x, w), o.axis, { keepdims: o.keepdims ?? false }), weightsSum);
  }
  if (!o.returned) return avg;
  return [avg, broadcastTo(weightsSum, avg.shape)];
}

/** Peak to peak: max - min over axes. */
export function ptp(x: ArrayLike, axisOrOptions: Axis | StatisticsOptions = undefined, options: StatisticsOptions = {}): Array {
  const o = parse(axisOrOptions, options);
  const opts = { axis: o.axis, keepdims: o.keepdims ?? false };
  return lax.sub.bind1([max(x, opts), min(x, opts)]);
}

/** The number of nonzero elements over axes, in the default int dtype. */
export function countNonzero(x: ArrayLike, axisOrOptions: Axis | StatisticsOptions = undefined, options: StatisticsOptions = {}): Array {
  const o = parse(axisOrOptions, options);
  const a = asarray(x);
  const nonzero = lax.ne.bind1([a, broadcastTo(convertTo(asarray(0), a.dtype, false), a.shape)]);
  return sum(nonzero, o.axis, { keepdims: o.keepdims ?? false, dtype: defaultIntDType() });
}
