// Samplers built on gamma draws (jax._src.random.core): Student's t, chi-square, F, the
// generalized normal and uniform points in an Lp ball. Key splits and operation order are JAX's.
import type { Array, ArrayLike } from '../core/array.js';
import { canonicalizeDType, checkDType, defaultFloatDType, isFloating, type DType } from '../core/dtypes.js';
import { jit } from '../api/jit.js';
import * as jnp from '../numpy/index.js';
import { asarray } from '../numpy/convert.js';
import { checkParamShapes, convert, parseArgs } from './common.js';
import { exponentialImpl, normalImpl } from './continuous.js';
import { randomGammaP } from './gamma.js';
import { checkKey, checkShape, subkeys } from './keys.js';
import { paramSampler, type Shape, type ShapeDTypeOptions } from './args.js';
import { rademacherImpl, sumLast } from './transformed.js';

/** JAX's _gamma: Gamma(a, 1) draws (or their logs) of `shape`, one key per element split from `k`. */
function gammaDraws(k: Array, a: Array, shape: readonly number[], dtype: DType, logSpace: boolean): Array {
  checkParamShapes('gamma', shape, a.shape);
  let alpha = convert(a, dtype);
  if (alpha.shape.join() !== shape.join()) alpha = jnp.broadcastTo(alpha, shape);
  return randomGammaP.bind1([k, alpha], { log_space: logSpace });
}

/** n sqrt((df / 2) / g) with n normal and g ~ Gamma(df / 2). */
function tImpl(k: Array, dfParam: Array, shape: number[], dtype: DType): Array {
  const df = convert(dfParam, dtype);
  const [keyN, keyG] = subkeys(k, 2);
  const n = normalImpl(keyN!, shape, dtype);
  const halfDf = jnp.divide(df, convert(2, dtype));
  const g = gammaDraws(keyG!, halfDf, shape, dtype, false);
  return jnp.multiply(n, jnp.sqrt(jnp.divide(halfDf, g)));
}

/** 2 Gamma(df / 2), drawn in log space. */
function chisquareImpl(k: Array, dfParam: Array, shape: number[], dtype: DType): Array {
  const df = convert(dfParam, dtype);
  const two = convert(2, dtype);
  return jnp.multiply(jnp.exp(gammaDraws(k, jnp.divide(df, two), shape, dtype, true)), two);
}

/** (chi2(dfnum) / dfnum) / (chi2(dfden) / dfden); the first key goes to the denominator, as in JAX. */
function fImpl(k: Array, dfnumParam: Array, dfdenParam: Array, shape: number[], dtype: DType): Array {
  const dfden = convert(dfdenParam, dtype);
  const dfnum = convert(dfnumParam, dtype);
  const [keyDfd, keyDfn] = subkeys(k, 2);
  const num = jnp.divide(chisquareImpl(keyDfn!, dfnum, shape, dtype), dfnum);
  const den = jnp.divide(chisquareImpl(keyDfd!, dfden, shape, dtype), dfden);
  return jnp.divide(num, den);
}

/** The gamma draws need a float dtype: JAX's error comes from its inner gamma call. */
function gammaDType(name: string, dtype: DType | undefined): DType {
  const d = dtype === undefined ? defaultFloatDType() : canonicalizeDType(checkDType(dtype, name));
  if (!isFloating(d)) throw new TypeError(`dtype argument to \`gamma\` must be a float dtype, got ${d}`);
  return d;
}

/** (random sign) g ** (1 / p) with g ~ Gamma(1 / p). */
function generalizedNormalImpl(k: Array, p: Array, shape: readonly number[], dtype: DType): Array {
  const [keyG, keyR] = subkeys(k, 2);
  const g = gammaDraws(keyG!, jnp.divide(1, p), shape, dtype, false);
  const r = rademacherImpl(keyR!, shape, dtype);
  return jnp.multiply(r, jnp.power(g, jnp.divide(1, p)));
}

/** Barthe, Guedon, Mendelson and Naor: generalized normals over (sum |g|^p + Exp(1)) ** (1 / p). */
function ballImpl(k: Array, p: Array, d: number, shape: number[], dtype: DType): Array {
  const [k1, k2] = subkeys(k, 2);
  const g = generalizedNormalImpl(k1!, p, [...shape, d], dtype);
  const e = exponentialImpl(k2!, shape, dtype);
  const radius = jnp.power(jnp.add(sumLast(jnp.power(jnp.abs(g), p)), e), jnp.divide(1, p));
  return jnp.divide(g, jnp.expandDims(radius, -1));
}

// ---- public samplers ----

export interface TOptions extends ShapeDTypeOptions {
  df?: ArrayLike;
}
/** `random.t(key, df, shape?, dtype)`: Student's t with `df` degrees of freedom. */
export const t = paramSampler<TOptions>('t', ['df'], tImpl);

export type ChisquareOptions = TOptions;
/** `random.chisquare(key, df, shape?, dtype)`: chi-square with `df` degrees of freedom. */
export const chisquare = paramSampler<ChisquareOptions>('chisquare', ['df'], chisquareImpl);

export interface FOptions extends ShapeDTypeOptions {
  dfnum?: ArrayLike;
  dfden?: ArrayLike;
}
/** `random.f(key, dfnum, dfden, shape?, dtype)`: the F distribution. */
export const f = paramSampler<FOptions>('f', ['dfnum', 'dfden'], fImpl);

export interface GeneralizedNormalOptions {
  shape?: Shape;
  dtype?: DType;
}

const generalizedNormalJit = jit(generalizedNormalImpl, { staticArgnums: [2, 3], name: 'generalized_normal' });

/** `random.generalizedNormal(key, p, shape = [], dtype)`: density proportional to exp(-|x|^p). */
export function generalizedNormal(key: ArrayLike, p: ArrayLike, ...args: (Shape | DType | GeneralizedNormalOptions | undefined)[]): Array {
  const o = parseArgs<GeneralizedNormalOptions>(['shape', 'dtype'], args);
  const shape = checkShape('generalized_normal', o.shape ?? []);
  const k = checkKey('generalized_normal', key);
  return generalizedNormalJit(k, asarray(p), shape, gammaDType('generalized_normal', o.dtype));
}

export interface BallOptions {
  p?: ArrayLike;
  shape?: Shape;
  dtype?: DType;
}

const ballJit = jit(ballImpl, { staticArgnums: [2, 3, 4], name: 'ball' });

/** `random.ball(key, d, p = 2, shape = [], dtype)`: points uniform in the unit Lp ball of R^d, `[...shape, d]`. */
export function ball(key: ArrayLike, d: number, ...args: (ArrayLike | Shape | DType | BallOptions | undefined)[]): Array {
  const o = parseArgs<BallOptions>(['p', 'shape', 'dtype'], args);
  const shape = checkShape('ball', (o.shape ?? []) as Shape);
  const k = checkKey('ball', key);
  const dtype = gammaDType('ball', o.dtype);
  if (typeof d !== 'number' || !Number.isInteger(d)) throw new TypeError(`ball: d must be an integer, got ${String(d)}`);
  return ballJit(k, asarray(o.p ?? 2), d, shape, dtype);
}
