// Gamma variates by Marsaglia and Tsang's method, with JAX's exact key splitting (one key per
// element, split from the sampler's key), and the samplers built on them: loggamma, beta, dirichlet.
import { Array, type ArrayLike } from '../core/array.js';
import { finfo, isComplex, promoteTypes, type DType } from '../core/dtypes.js';
import type { Params } from '../core/primitive.js';
import { jit } from '../api/jit.js';
import * as lax from '../lax/index.js';
import * as jnp from '../numpy/index.js';
import { asarray } from '../numpy/convert.js';
import { broadcastShapes, checkParamShapes, convert, floatDType, parseArgs } from './common.js';
import { exponentialImpl, normalImpl, uniformImpl } from './continuous.js';
import { randomGammaGrad } from './gamma_grad.js';
import { checkKey, checkShape, prod, splitKeys, subkeys } from './keys.js';
import { batchedWhile, samplerPrimitive } from './sampler.js';

const select = (pred: Array, onTrue: Array, onFalse: Array): Array => lax.selectN.bind1([pred, onFalse, onTrue]);

/**
 * One gamma draw per element of `alpha` ([N]) with its own key (`keys` [N, 2]), JAX's _gamma_one:
 * alpha < 1 is boosted to alpha + 1 and corrected by u**(1/alpha) (in log space: log(u)/alpha).
 */
function gammaOne(keys: Array, alpha: Array, logSpace: boolean): Array {
  const dtype = alpha.dtype;
  const c = (v: number): Array => jnp.full(alpha.shape, v, { dtype });
  const [zero, one, minusOne, two, half, third] = [c(0), c(1), c(-1), c(2), c(0.5), c(1 / 3)];
  const boost = lax.ge.bind1([alpha, one]);
  const boosted = select(boost, alpha, lax.add.bind1([alpha, one]));
  const d = lax.sub.bind1([boosted, third]);
  const scale = lax.div.bind1([third, lax.sqrt.bind1([d])]);
  const [key, subkey] = subkeys(keys, 2);
  // accept X = x², V = (1 + c x)³ unless U falls above the squeeze and the log test fails
  const rejected = ([, X, V, U]: Array[]): Array =>
    lax.and.bind1([
      lax.ge.bind1([U!, lax.sub.bind1([one, lax.mul.bind1([c(0.0331), lax.mul.bind1([X!, X!])])])]),
      lax.ge.bind1([lax.log.bind1([U!]), lax.add.bind1([lax.mul.bind1([X!, half]), lax.mul.bind1([d, lax.add.bind1([lax.sub.bind1([one, V!]), lax.log.bind1([V!])])])])]),
    ]);
  const propose = ([k]: Array[]): Array[] => {
    const [next, xKey, uKey] = subkeys(k!, 3);
    // draw normals until 1 + c x > 0
    const [, x, v] = batchedWhile(
      ([, , v]) => lax.le.bind1([v!, zero]),
      ([kx]) => {
        const [kn, sub] = subkeys(kx!, 2);
        const xn = normalImpl(sub!, [], dtype);
        return [kn!, xn, lax.add.bind1([one, lax.mul.bind1([xn, scale])])];
      },
      [xKey!, zero, minusOne],
    );
    return [next!, lax.mul.bind1([x!, x!]), lax.mul.bind1([lax.mul.bind1([v!, v!]), v!]), uniformImpl(uKey!, 0, 1, [], dtype)];
  };
  const [, , V] = batchedWhile(rejected, propose, [key!, zero, one, two]);
  if (logSpace) {
    const logSamples = lax.neg.bind1([exponentialImpl(subkey!, [], dtype)]);
    const logBoost = select(lax.or.bind1([boost, lax.eq.bind1([logSamples, zero])]), zero, lax.mul.bind1([logSamples, lax.div.bind1([one, alpha])]));
    return lax.add.bind1([lax.add.bind1([lax.log.bind1([d]), lax.log.bind1([V!])]), logBoost]);
  }
  const samples = lax.sub.bind1([one, uniformImpl(subkey!, 0, 1, [], dtype)]);
  const boostFactor = select(boost, one, lax.pow.bind1([samples, lax.div.bind1([one, alpha])]));
  return lax.mul.bind1([lax.mul.bind1([d, V!]), boostFactor]);
}

/** random_gamma(keys [...B, 2], a [...B, ...S]): each key split into one key per element of S. */
export const randomGammaP = samplerPrimitive(
  'random_gamma',
  ([, a]) => a!,
  ([keys, a]: Array[], params: Params) => {
    const batch = keys!.shape.slice(0, -1);
    const count = prod(a!.shape.slice(batch.length));
    const flatKeys = lax.reshape.bind1([keys!], { new_sizes: [prod(batch), 2] });
    const perElement = lax.reshape.bind1([splitKeys(flatKeys, [count])], { new_sizes: [a!.size, 2] });
    const samples = gammaOne(perElement, lax.reshape.bind1([a!], { new_sizes: [a!.size] }), params.log_space === true);
    return lax.reshape.bind1([samples], { new_sizes: a!.shape });
  },
  // implicit reparameterization: d sample / d a from the incomplete gamma function
  ([, a], [, da], ans, params) => (da ? jnp.multiply(da, gammaGrad(ans, a!, params.log_space === true)) : null),
);

/** JAX's _gamma_grad: d sample / d a, or d log(sample) / d a in log space (a zero sample read as tiny). */
function gammaGrad(sample: Array, a: Array, logSpace: boolean): Array {
  if (!logSpace) return randomGammaGrad(a, sample);
  const x = jnp.exp(sample);
  const safe = jnp.where(jnp.equal(x, 0), jnp.fullLike(x, finfo(x.dtype).tiny), x);
  return jnp.divide(randomGammaGrad(a, safe), safe);
}

function gammaImpl(k: Array, a: Array, shape: readonly number[], dtype: DType, logSpace: boolean): Array {
  let alpha = convert(a, dtype);
  if (alpha.shape.join() !== shape.join()) alpha = jnp.broadcastTo(alpha, shape);
  return randomGammaP.bind1([k, alpha], { log_space: logSpace });
}

const gammaJit = jit(gammaImpl, { staticArgnums: [2, 3, 4], name: 'gamma' });

export interface GammaOptions {
  a?: ArrayLike;
  shape?: readonly number[] | null;
  dtype?: DType;
}

function gammaSampler(name: string, logSpace: boolean) {
  return (key: ArrayLike, ...args: (ArrayLike | readonly number[] | null | DType | GammaOptions | undefined)[]): Array => {
    const o = parseArgs<GammaOptions>(['a', 'shape', 'dtype'], args);
    const k = checkKey(name, key);
    const dtype = floatDType(name === 'loggamma' ? 'gamma' : name, o.dtype);
    if (o.a === undefined) throw new TypeError(`${name}() missing required argument 'a'`);
    const a = asarray(o.a);
    let shape: number[];
    if (o.shape === undefined || o.shape === null) shape = a.shape;
    else {
      shape = checkShape(name, o.shape);
      broadcastShapes(shape, a.shape);
      checkParamShapes(name, shape, a.shape);
    }
    return gammaJit(k, a, shape, dtype, logSpace);
  };
}

/** `random.gamma(key, a, shape?, dtype)`: Gamma(a, 1) draws (not differentiable in `a` here). */
export const gamma = gammaSampler('gamma', false);
/** `random.loggamma(key, a, shape?, dtype)`: log of Gamma(a, 1) draws, accurate for small `a`. */
export const loggamma = gammaSampler('loggamma', true);

/** JAX's _check_all_safe_to_cast: strongly typed parameters must not lose precision in `dtype`. */
function checkSafeCast(name: string, dtype: DType, ...args: Array[]): void {
  for (const a of args) {
    if (a.weakType && !isComplex(a.dtype)) continue; // JS numbers convert to any float
    if (promoteTypes(a.dtype, dtype) !== dtype) throw new TypeError(`In arguments to ${name}, cannot safely cast argument of type ${a.dtype} to ${dtype}`);
  }
}

const betaJit = jit(
  (k: Array, a: Array, b: Array, shape: number[], dtype: DType) => {
    const [ka, kb] = subkeys(k, 2);
    const logA = gammaImpl(ka!, jnp.broadcastTo(convert(a, dtype), shape), shape, dtype, true);
    const logB = gammaImpl(kb!, jnp.broadcastTo(convert(b, dtype), shape), shape, dtype, true);
    // gamma_a / (gamma_a + gamma_b) without overflow: both scaled by the larger
    const logMax = jnp.maximum(logA, logB);
    const ga = jnp.exp(jnp.subtract(logA, logMax));
    const gb = jnp.exp(jnp.subtract(logB, logMax));
    return jnp.divide(ga, jnp.add(ga, gb));
  },
  { staticArgnums: [3, 4], name: 'beta' },
);

export interface BetaOptions {
  a?: ArrayLike;
  b?: ArrayLike;
  shape?: readonly number[] | null;
  dtype?: DType;
}

/** `random.beta(key, a, b, shape?, dtype)`: Beta(a, b) as a ratio of gamma draws. */
export function beta(key: ArrayLike, ...args: (ArrayLike | readonly number[] | null | DType | BetaOptions | undefined)[]): Array {
  const o = parseArgs<BetaOptions>(['a', 'b', 'shape', 'dtype'], args);
  const k = checkKey('beta', key);
  const dtype = floatDType('beta', o.dtype);
  if (o.a === undefined || o.b === undefined) throw new TypeError("beta() missing required arguments 'a' and 'b'");
  const [a, b] = [asarray(o.a), asarray(o.b)];
  checkSafeCast('beta', dtype, a, b);
  let shape: number[];
  if (o.shape === undefined || o.shape === null) shape = broadcastShapes(a.shape, b.shape);
  else {
    shape = checkShape('beta', o.shape);
    checkParamShapes('beta', shape, a.shape, b.shape);
  }
  return betaJit(k, a, b, shape, dtype);
}

/** softmax over the last axis, as jax.nn.softmax computes it. */
function softmaxLast(x: Array): Array {
  const unnormalized = jnp.exp(jnp.subtract(x, jnp.max(x, -1, { keepdims: true })));
  return jnp.divide(unnormalized, jnp.sum(unnormalized, -1, { keepdims: true }));
}

const dirichletJit = jit(
  (k: Array, alpha: Array, shape: number[], dtype: DType) =>
    softmaxLast(gammaImpl(k, alpha, [...shape, alpha.shape[alpha.ndim - 1]!], dtype, true)),
  { staticArgnums: [2, 3], name: 'dirichlet' },
);

/** `random.dirichlet(key, alpha, shape?, dtype)`: normalized gamma draws (sampled in log space). */
export function dirichlet(key: ArrayLike, alpha: ArrayLike, ...args: (readonly number[] | null | DType | { shape?: readonly number[] | null; dtype?: DType } | undefined)[]): Array {
  const o = parseArgs<{ shape?: readonly number[] | null; dtype?: DType }>(['shape', 'dtype'], args);
  const k = checkKey('dirichlet', key);
  const dtype = floatDType('dirichlet', o.dtype);
  const a = asarray(alpha);
  if (a.ndim < 1) throw new TypeError(`dirichlet requires alpha.ndim >= 1, got alpha.ndim == ${a.ndim}`);
  let shape: number[];
  if (o.shape === undefined || o.shape === null) shape = a.shape.slice(0, -1);
  else {
    shape = checkShape('dirichlet', o.shape);
    checkParamShapes('dirichlet', shape, a.shape.slice(0, -1));
  }
  return dirichletJit(k, a, shape, dtype);
}

