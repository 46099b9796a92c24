// logsumexp, logmeanexp, standardize and one_hot, as jax.nn defines them.
import type { Array, ArrayLike } from '../core/array.js';
import { checkDType, defaultFloatDType, toInexactDType, type DType } from '../core/dtypes.js';
import * as lax from '../lax/index.js';
import * as jnp from '../numpy/index.js';
import { promoteArgs } from '../numpy/convert.js';
import { maxWhere, meanWhere, reductionAxes, sumWhere, type Axis } from './reductions.js';

const isOptions = <T>(v: unknown): v is T =>
  typeof v === 'object' && v !== null && !globalThis.Array.isArray(v) && !(v instanceof jnp.Array);

export interface LogsumexpOptions {
  /** Axis or axes to reduce (default null: all). */
  axis?: Axis;
  /** Scale factors: log(sum(b * exp(a))); entries where b = 0 are left out. */
  b?: ArrayLike | null;
  keepdims?: boolean;
  /** Return [log|sum|, sign(sum)] instead of NaN for negative sums. */
  returnSign?: boolean;
  /** Elements to include in the reduction. */
  where?: ArrayLike | null;
}

/**
 * logsumexp(a, axis = null, { b, keepdims, returnSign, where }) = log(sum(b * exp(a))), computed
 * around the (stop-gradient) max; a max of ±inf or NaN shifts by 0, so all -inf rows give -inf.
 */
export function logsumexp(a: ArrayLike, axis?: Axis | (LogsumexpOptions & { returnSign?: false }), options?: LogsumexpOptions & { returnSign?: false }): Array;
export function logsumexp(a: ArrayLike, axis: Axis | (LogsumexpOptions & { returnSign: true }), options?: LogsumexpOptions & { returnSign: true }): [Array, Array];
export function logsumexp(a: ArrayLike, axis?: Axis | LogsumexpOptions, options?: LogsumexpOptions): Array | [Array, Array];
export function logsumexp(a: ArrayLike, axis?: Axis | LogsumexpOptions, options: LogsumexpOptions = {}): Array | [Array, Array] {
  const o: LogsumexpOptions = isOptions<LogsumexpOptions>(axis) ? axis : { ...options, axis: axis ?? options.axis ?? null };
  const where = o.where ?? null;
  const b = o.b ?? null;
  const keepdims = o.keepdims ?? false;
  let x = where === null ? jnp.asarray(a) : jnp.where(where, a, 0);
  let scale: Array | null = null;
  if (b !== null) {
    [x, scale] = promoteArgs('logsumexp', [x, b], toInexactDType) as [Array, Array];
    x = jnp.where(jnp.notEqual(scale, 0), x, -Infinity);
  } else {
    x = promoteArgs('logsumexp', [x], toInexactDType)[0]!;
  }
  const axes = reductionAxes('logsumexp', o.axis ?? null, x.ndim);
  const maxKept = maxWhere(x, axes, true, where);
  const shift = lax.stopGradient(jnp.where(jnp.isfinite(maxKept), maxKept, 0));
  let expA = jnp.exp(jnp.subtract(x, shift));
  if (scale !== null) expA = jnp.multiply(expA, scale);
  const sumexp = sumWhere(expA, axes, keepdims, where);
  const sign = jnp.sign(sumexp);
  const out = jnp.add(jnp.log(jnp.abs(sumexp)), keepdims ? shift : jnp.squeeze(shift, axes));
  if (o.returnSign) return [out, sign];
  return scale === null ? out : jnp.where(jnp.less(sign, 0), NaN, out);
}

/** logmeanexp(x, axis = null, { where, keepdims }) = logsumexp(x) - log(count). */
export function logmeanexp(x: ArrayLike, axis?: Axis | Omit<LogsumexpOptions, 'b' | 'returnSign'>, options: Omit<LogsumexpOptions, 'b' | 'returnSign'> = {}): Array {
  const o = isOptions<Omit<LogsumexpOptions, 'b' | 'returnSign'>>(axis) ? axis : { ...options, axis: axis ?? options.axis ?? null };
  const lse = logsumexp(x, { axis: o.axis ?? null, where: o.where ?? null, keepdims: o.keepdims ?? false });
  const a = jnp.asarray(x);
  const axes = reductionAxes('logmeanexp', o.axis ?? null, a.ndim);
  const count =
    o.where === undefined || o.where === null
      ? jnp.asarray(axes.reduce((n, i) => n * a.shape[i]!, 1), lse.dtype)
      : jnp.sum(jnp.broadcastTo(jnp.asarray(o.where), a.shape), axes, { keepdims: o.keepdims ?? false, dtype: lse.dtype });
  return jnp.subtract(lse, jnp.log(count));
}

export interface StandardizeOptions {
  /** Axis or axes to standardize over (default -1; null: all). */
  axis?: Axis;
  /** The mean to use (default: the mean of x over `axis`). */
  mean?: ArrayLike | null;
  /** The variance to use (default: the variance of x over `axis`). */
  variance?: ArrayLike | null;
  /** Added to the variance (default 1e-5). */
  epsilon?: ArrayLike;
  /** Elements to use for the mean and variance. */
  where?: ArrayLike | null;
  /** 'fast' (default): E[x²] - E[x]², clipped at 0; 'stable': E[(x - E[x])²]. */
  algorithm?: 'fast' | 'stable';
}

/** standardize(x, axis = -1, { mean, variance, epsilon, where, algorithm }) = (x - mean) / sqrt(variance + epsilon). */
export function standardize(x: ArrayLike, axis?: Axis | StandardizeOptions, options: StandardizeOptions = {}): Array {
  const o: StandardizeOptions = isOptions<StandardizeOptions>(axis) ? axis : { ...options, axis: axis === undefined ? (options.axis ?? -1) : axis };
  const a = jnp.asarray(x);
  const axes = reductionAxes('standardize', o.axis === undefined ? -1 : o.axis, a.ndim);
  const where = o.where ?? null;
  const mean = o.mean === undefined || o.mean === null ? meanWhere(a, axes, true, where) : jnp.asarray(o.mean);
  let variance: Array;
  if (o.variance !== undefined && o.variance !== null) variance = jnp.asarray(o.variance);
  else if (o.algorithm === 'stable') variance = meanWhere(jnp.square(jnp.subtract(a, mean)), axes, true, where);
  else if (o.algorithm === undefined || o.algorithm === 'fast') {
    variance = jnp.clip(jnp.subtract(meanWhere(jnp.square(a), axes, true, where), jnp.square(mean)), 0);
  } else throw new RangeError(`standardize: unknown algorithm '${String(o.algorithm)}'. Expected 'fast' or 'stable'.`);
  const denominator = promoteArgs('standardize', [jnp.add(variance, o.epsilon ?? 1e-5)], toInexactDType)[0]!;
  return jnp.multiply(jnp.subtract(a, mean), lax.rsqrt.bind1([denominator]));
}

export interface OneHotOptions {
  /** Result dtype (default: the default float dtype). */
  dtype?: DType;
  /** Where the class axis goes in the result (default -1). */
  axis?: number;
}

/** one_hot(x, numClasses, { dtype, axis }): x[..., None] == arange(numClasses); out-of-range indices give all zeros. */
export function oneHot(x: ArrayLike, numClasses: number, options: OneHotOptions = {}): Array {
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new TypeError(`one_hot: num_classes must be a non-negative integer, got ${String(numClasses)}`);
  }
  const a = jnp.asarray(x);
  const dtype = options.dtype === undefined ? defaultFloatDType() : checkDType(options.dtype, 'one_hot');
  const axis = options.axis ?? -1;
  const outNdim = a.ndim + 1;
  if (!Number.isInteger(axis) || axis < -outNdim || axis >= outNdim) {
    throw new RangeError(`one_hot: axis ${axis} is out of bounds for array of dimension ${outNdim}`);
  }
  const outAxis = axis < 0 ? axis + outNdim : axis;
  const lhs = jnp.expandDims(a, outAxis);
  const rhsShape = [...globalThis.Array(a.ndim).fill(1)];
  rhsShape.splice(outAxis, 0, numClasses);
  const rhs = lax.iota.bind1([], { dtype: a.dtype, shape: rhsShape, dimension: outAxis });
  return jnp.astype(jnp.equal(lhs, rhs), dtype);
}
