// Poisson variates as JAX draws them: Knuth's product of uniforms for lambda < 10, Hormann's
// transformed rejection (PTRS) above, both looping until every element of a key's draw is done.
import type { Array, ArrayLike } from '../core/array.js';
import { ShapedArray } from '../core/aval.js';
import { canonicalizeDType, checkDType, defaultIntDType, isInteger, type DType } from '../core/dtypes.js';
import type { Params } from '../core/primitive.js';
import { jit } from '../api/jit.js';
import * as lax from '../lax/index.js';
import * as jnp from '../numpy/index.js';
import { asarray } from '../numpy/convert.js';
import { broadcastShapes, checkParamShapes, convert, parseArgs } from './common.js';
import { uniformImpl } from './continuous.js';
import { checkKey, checkShape, range, subkeys } from './keys.js';
import { batchedWhile, samplerPrimitive } from './sampler.js';

/** Per key (leading axes B of `lam`), whether any of its elements is still going. */
const anyPerKey = (flags: Array, nb: number): Array =>
  flags.ndim === nb ? flags : lax.reduceOr.bind1([flags], { axes: range(flags.ndim - nb).map((i) => i + nb) });

/** Knuth: count uniforms until their product drops below exp(-lam). */
function knuth(keys: Array, lam: Array, dtype: DType): Array {
  const nb = keys.ndim - 1;
  const shape = lam.shape.slice(nb);
  const going = (logProd: Array): Array => jnp.greater(logProd, jnp.negative(lam));
  const [k] = batchedWhile(
    ([, , logProd]) => anyPerKey(going(logProd!), nb),
    ([k, rng, logProd]) => {
      const [next, sub] = subkeys(rng!, 2);
      const counted = jnp.where(going(logProd!), jnp.add(k!, 1), k!);
      return [counted, next!, jnp.add(logProd!, jnp.log(uniformImpl(sub!, 0, 1, shape, 'float32')))];
    },
    [jnp.zeros(lam.shape, { dtype }), keys, jnp.zeros(lam.shape, { dtype: 'float32' })],
  );
  return convert(jnp.subtract(k!, 1), dtype);
}

/** Hormann's PTRS (1993): transformed rejection with a squeeze. */
function rejection(keys: Array, lam: Array, dtype: DType): Array {
  const nb = keys.ndim - 1;
  const shape = lam.shape.slice(nb);
  const logLam = jnp.log(lam);
  const b = jnp.add(0.931, jnp.multiply(2.53, jnp.sqrt(lam)));
  const a = jnp.add(-0.059, jnp.multiply(0.02483, b));
  const invAlpha = jnp.add(1.1239, jnp.divide(1.1328, jnp.subtract(b, 3.4)));
  const vR = jnp.subtract(0.9277, jnp.divide(3.6224, jnp.subtract(b, 2)));
  const [kOut] = batchedWhile(
    ([, accepted]) => anyPerKey(jnp.logicalNot(accepted!), nb),
    ([kOut, accepted, key]) => {
      const [next, k0, k1] = subkeys(key!, 3);
      const u = jnp.subtract(uniformImpl(k0!, 0, 1, shape, lam.dtype), 0.5);
      const v = uniformImpl(k1!, 0, 1, shape, lam.dtype);
      const us = jnp.subtract(0.5, jnp.abs(u));
      const k = jnp.floor(jnp.add(jnp.add(jnp.multiply(jnp.add(jnp.divide(jnp.multiply(2, a), us), b), u), lam), 0.43));
      const s = jnp.log(jnp.divide(jnp.multiply(v, invAlpha), jnp.add(jnp.divide(a, jnp.multiply(us, us)), b)));
      const t = jnp.subtract(jnp.add(jnp.negative(lam), jnp.multiply(k, logLam)), lax.lgamma.bind1([jnp.add(k, 1)]));
      const accept1 = jnp.logicalAnd(jnp.greaterEqual(us, 0.07), jnp.lessEqual(v, vR));
      const reject = jnp.logicalOr(jnp.less(k, 0), jnp.logicalAnd(jnp.less(us, 0.013), jnp.greater(v, us)));
      const accept = jnp.logicalOr(accept1, jnp.logicalAnd(jnp.logicalNot(reject), jnp.lessEqual(s, t)));
      return [jnp.where(accept, k, kOut!), jnp.logicalOr(accepted!, accept), next!];
    },
    [jnp.full(lam.shape, -1, { dtype: lam.dtype }), jnp.full(lam.shape, false), keys],
  );
  return convert(kOut!, dtype);
}

/** random_poisson[dtype](keys [...B, 2], lam [...B, ...S] float32). */
export const randomPoissonP = samplerPrimitive(
  'random_poisson',
  ([, lam], params) => new ShapedArray(lam!.shape, params.dtype as DType),
  ([keys, lam]: Array[], params: Params) => {
    const dtype = params.dtype as DType;
    const useKnuth = jnp.logicalOr(jnp.isnan(lam!), jnp.less(lam!, 10));
    const lamKnuth = jnp.where(useKnuth, lam!, 0);
    // the rejection sampler's acceptance approaches 89% for large lambda: a safe dummy value
    const lamRejection = jnp.where(useKnuth, 1e5, lam!);
    const result = jnp.where(useKnuth, knuth(keys!, lamKnuth, dtype), rejection(keys!, lamRejection, dtype));
    return jnp.where(jnp.equal(lam!, 0), jnp.zeros(result.shape, { dtype }), result);
  },
);

const poissonJit = jit(
  (k: Array, lam: Array, shape: number[], dtype: DType) =>
    randomPoissonP.bind1([k, convert(jnp.broadcastTo(lam, shape), 'float32')], { dtype }),
  { staticArgnums: [2, 3], name: 'poisson' },
);

export interface PoissonOptions {
  lam?: ArrayLike;
  shape?: readonly number[] | null;
  dtype?: DType;
}

/** `random.poisson(key, lam, shape?, dtype)`: Poisson(lam) counts (lam computed in float32, as JAX). */
export function poisson(key: ArrayLike, ...args: (ArrayLike | readonly number[] | null | DType | PoissonOptions | undefined)[]): Array {
  const o = parseArgs<PoissonOptions>(['lam', 'shape', 'dtype'], args);
  const k = checkKey('poisson', key);
  const dtype = o.dtype === undefined ? defaultIntDType() : canonicalizeDType(checkDType(o.dtype, 'poisson'));
  if (!isInteger(dtype)) throw new TypeError(`poisson: dtype must be an integer dtype, got ${dtype}`);
  if (o.lam === undefined) throw new TypeError("poisson() missing required argument 'lam'");
  const lam = asarray(o.lam);
  let shape: number[];
  if (o.shape === undefined || o.shape === null) shape = lam.shape;
  else {
    shape = checkShape('poisson', o.shape);
    broadcastShapes(shape, lam.shape);
    checkParamShapes('poisson', shape, lam.shape);
  }
  return poissonJit(k, lam, shape, dtype);
}
