// softmax and log_softmax over one or more axes, with an optional `where` mask (jax.nn).
import type { Array, ArrayLike } from '../core/array.js';
import * as lax from '../lax/index.js';
import * as jnp from '../numpy/index.js';
import { maxWhere, reductionAxes, sumWhere, type Axis } from './reductions.js';

export interface SoftmaxOptions {
  /** Axis or axes to normalise over (default -1; null: all axes). */
  axis?: Axis;
  /** Elements to include; masked-out outputs are 0 (softmax) or -inf (logSoftmax). */
  where?: ArrayLike | null;
}

const isOptions = (v: unknown): v is SoftmaxOptions =>
  typeof v === 'object' && v !== null && !globalThis.Array.isArray(v) && !(v instanceof jnp.Array);

function parse(axisOrOptions: Axis | SoftmaxOptions | undefined, options: SoftmaxOptions): { axis: Axis; where: ArrayLike | null } {
  const o = isOptions(axisOrOptions) ? axisOrOptions : { ...options, axis: axisOrOptions };
  return { axis: o.axis === undefined ? -1 : o.axis, where: o.where ?? null };
}

/**
 * softmax(x, axis = -1, { where }): exp(x - max) / sum(exp(x - max)). The max is a stop-gradient
 * constant, as in JAX's default (jax_softmax_custom_jvp off); +inf inputs give NaN, as in JAX.
 */
export function softmax(x: ArrayLike, axis?: Axis | SoftmaxOptions, options: SoftmaxOptions = {}): Array {
  const { axis: ax, where } = parse(axis, options);
  const a = jnp.asarray(x);
  const axes = reductionAxes('softmax', ax, a.ndim);
  const xMax = maxWhere(a, axes, true, where);
  const xSafe = where === null ? a : jnp.where(where, a, -Infinity);
  const unnormalized = jnp.exp(jnp.subtract(xSafe, lax.stopGradient(xMax)));
  const result = jnp.divide(unnormalized, sumWhere(unnormalized, axes, true, where));
  return where === null ? result : jnp.where(where, result, 0);
}

/** log_softmax(x, axis = -1, { where }): x - max - log(sum(exp(x - max))), the max a stop-gradient constant. */
export function logSoftmax(x: ArrayLike, axis?: Axis | SoftmaxOptions, options: SoftmaxOptions = {}): Array {
  const { axis: ax, where } = parse(axis, options);
  const a = jnp.asarray(x);
  const axes = reductionAxes('log_softmax', ax, a.ndim);
  const xMax = maxWhere(a, axes, true, where);
  const xSafe = where === null ? a : jnp.where(where, a, -Infinity);
  const shifted = jnp.subtract(xSafe, lax.stopGradient(xMax));
  const shiftedLogsumexp = jnp.log(sumWhere(jnp.exp(shifted), axes, true, where));
  const result = jnp.subtract(shifted, shiftedLogsumexp);
  return where === null ? result : jnp.where(where, result, -Infinity);
}
