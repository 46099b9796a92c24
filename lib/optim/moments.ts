// Leafwise moment arithmetic shared by the optimisers, as optax.tree's update_moment,
// update_moment_per_elem_norm, bias_correction, zeros_like/full_like, cast, and numerics.safe_increment.
import type { Array } from '../core/array.js';
import { canonicalizeDType, finfo, iinfo, isFloating, isInteger, type DType } from '../core/dtypes.js';
import { asarray, astype } from '../numpy/convert.js';
import { full, zeros } from '../numpy/creation.js';
import { add, less, multiply, power, subtract, where, divide } from '../numpy/ufuncs.js';
import { mapLeaves, type PyTree } from './transform.js';

/** An int32 zero: the step count every counting state starts from (shape (), as optax's). */
export const zeroCount = (): Array => zeros([], { dtype: 'int32' });

/** count + 1, saturating at the dtype's maximum instead of wrapping (optax.safe_increment; integer or float counts). */
export function safeIncrement(count: Array): Array {
  if (!isInteger(count.dtype) && !isFloating(count.dtype)) {
    throw new TypeError(`Cannot safely increment count with dtype ${count.dtype}, valid dtypes are subdtypes of "jnp.integer" or "jnp.floating".`);
  }
  const max = asarray(isInteger(count.dtype) ? iinfo(count.dtype).max : finfo(count.dtype).max, count.dtype);
  return where(less(count, max), add(count, asarray(1, count.dtype)), max);
}

/** A tree like `params` filled with `value`, in each leaf's dtype unless `dtype` is given. */
export function fullLike<P>(params: P, value: number, dtype?: DType | null): P {
  return mapLeaves((p) => full(p.shape, value, { dtype: dtype ? canonicalizeDType(dtype) : p.dtype }), params);
}

/** Casts every leaf to `dtype`; no-op without one (optax.tree.cast). */
export function cast<P>(t: P, dtype?: DType | null): P {
  return dtype ? mapLeaves((x) => astype(x, canonicalizeDType(dtype)), t) : t;
}

/** Casts every leaf of `t` to the dtype of the matching leaf of `like` (optax.tree.cast_like). */
export const castLike = <P>(t: P, like: PyTree): P => mapLeaves((x, o) => astype(x, o.dtype), t, like);

/** The exponential moving average of g**order: (1 - decay) g^order + decay m. */
export function updateMoment<U>(updates: U, moments: PyTree, decay: number, order: number): U {
  return mapLeaves((g, m) => add(multiply(1 - decay, power(g, order)), multiply(decay, m)), updates, moments);
}

/**
 * Divides by 1 - decay^count, computed in float32 (count is int32) before the cast to each
 * moment's dtype, so that low-precision moments do not round the correction to zero.
 */
export function biasCorrection<M>(moments: M, decay: number, count: Array): M {
  const correction = subtract(1, power(decay, count));
  return mapLeaves((m) => divide(m, astype(correction, m.dtype)), moments);
}

