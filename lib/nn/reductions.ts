// The masked reductions jax.nn uses: jnp.max with initial=-inf, jnp.sum, and jnp.mean as JAX computes it.
import type { Array, ArrayLike } from '../core/array.js';
import { toInexactDType, type DType } from '../core/dtypes.js';
import * as jnp from '../numpy/index.js';

export type Axis = number | readonly number[] | null;

/** Normalised axes (null: all), with JAX's out-of-bounds error naming the function. */
export const reductionAxes = (op: string, axis: Axis, ndim: number): number[] => jnp.normalizeAxes(op, axis, ndim);

/** jnp.max(x, axes, where=where, initial=-inf, keepdims): masked-out entries count as -inf. */
export function maxWhere(x: Array, axes: number[], keepdims: boolean, where?: ArrayLike | null): Array {
  return jnp.max(x, axes, { keepdims, initial: -Infinity, ...(where === undefined || where === null ? {} : { where }) });
}

/** jnp.sum(x, axes, where=where, keepdims): masked-out entries count as 0. */
export function sumWhere(x: Array, axes: number[], keepdims: boolean, where?: ArrayLike | null, dtype?: DType): Array {
  return jnp.sum(x, axes, { keepdims, dtype, ...(where === undefined || where === null ? {} : { where }) });
}

/** jnp.mean as JAX computes it, with `where`: float16/bfloat16 accumulate in float32 and the result is cast back. */
export function meanWhere(x: Array, axes: number[], keepdims: boolean, where?: ArrayLike | null): Array {
  const resultDType = toInexactDType(x.dtype);
  const computation: DType = resultDType === 'float16' || resultDType === 'bfloat16' ? 'float32' : resultDType;
  const total = sumWhere(x, axes, keepdims, where, computation);
  const count =
    where === undefined || where === null
      ? axes.reduce((n, i) => n * x.shape[i]!, 1)
      : jnp.sum(jnp.broadcastTo(jnp.asarray(where), x.shape), axes, { keepdims, dtype: computation });
  const mean = jnp.divide(total, jnp.asarray(count, computation));
  return jnp.astype(mean, resultDType);
}
