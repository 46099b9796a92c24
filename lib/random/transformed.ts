// Samplers that transform uniform, normal and exponential draws (jax._src.random.core):
// lognormal, pareto, rayleigh, wald, weibull_min, triangular, geometric, rademacher, maxwell and
// double_sided_maxwell. Each writes its formula in JAX's operation order (same rounding), and
// passes every parameter to its jitted implementation as an argument (as JAX's jit does), so
// that XLA never folds it as a constant.
import type { Array, ArrayLike } from '../core/array.js';
import { canonicalizeDType, checkDType, defaultFloatDType, defaultIntDType, isFloating, isInteger, toInexactDType, type DType } from '../core/dtypes.js';
import { jit } from '../api/jit.js';
import * as lax from '../lax/index.js';
import * as jnp from '../numpy/index.js';
import { asarray, convertTo } from '../numpy/convert.js';
import { broadcastShapes, convert, floatDType, parseArgs } from './common.js';
import { exponentialImpl, normalImpl, uniformImpl } from './continuous.js';
import { checkKey, checkShape, subkeys } from './keys.js';
import { paramSampler, required, sampleShape, type SamplerArg, type Shape, type ShapeDTypeOptions } from './args.js';

const select = (pred: Array, onTrue: Array, onFalse: Array): Array => lax.selectN.bind1([pred, onFalse, onTrue]);

/** jnp.sum over the last axis: float16 and bfloat16 accumulate in float32, as JAX's reductions do. */
export function sumLast(x: Array): Array {
  const narrow = x.dtype === 'float16' || x.dtype === 'bfloat16';
  const total = lax.reduceSum.bind1([narrow ? convert(x, 'float32') : x], { axes: [x.ndim - 1] });
  return narrow ? convert(total, x.dtype) : total;
}

// ---- implementations (one key) ----

/** 2 bernoulli(0.5) - 1 in `dtype`; the uniforms are in the default float dtype (that of p = 0.5). */
export function rademacherImpl(k: Array, shape: readonly number[], dtype: DType): Array {
  const pDType = defaultFloatDType();
  const heads = convert(jnp.less(uniformImpl(k, 0, 1, shape, pDType), convert(0.5, pDType)), dtype);
  return convert(jnp.subtract(jnp.multiply(2, heads), 1), dtype);
}

/** The norm of 3 standard normals. */
export function maxwellImpl(k: Array, shape: readonly number[], dtype: DType): Array {
  const x = normalImpl(k, [...shape, 3], dtype);
  return jnp.sqrt(sumLast(jnp.multiply(x, x)));
}

function doubleSidedMaxwellImpl(k: Array, loc: Array, scale: Array, shape: number[], dtype: DType): Array {
  const paramsShape = broadcastShapes(loc.shape, scale.shape);
  // JAX appends the parameters' shape to the sample shape (which defaults to it)
  const full = [...(shape.length ? shape : paramsShape), ...paramsShape];
  const [maxwellKey, signKey] = subkeys(k, 2);
  const rvs = maxwellImpl(maxwellKey!, full, dtype);
  const sign = rademacherImpl(signKey!, full, dtype);
  return jnp.add(jnp.multiply(jnp.multiply(sign, rvs), scale), loc);
}

/** Inverse CDF: (-log(1 - u)) ** (1 / concentration) * scale. */
function weibullMinImpl(k: Array, scale: Array, concentration: Array, shape: number[], dtype: DType): Array {
  const u = uniformImpl(k, 0, 1, shape, dtype);
  return jnp.multiply(jnp.power(jnp.negative(jnp.log1p(jnp.negative(u))), jnp.divide(1, concentration)), scale);
}

const paretoImpl = (k: Array, b: Array, shape: number[], dtype: DType): Array =>
  jnp.exp(jnp.divide(exponentialImpl(k, shape, dtype), convert(b, dtype)));

function rayleighImpl(k: Array, scale: Array, shape: number[], dtype: DType): Array {
  const u = uniformImpl(k, 0, 1, shape, dtype);
  const s = jnp.broadcastTo(convert(scale, dtype), shape);
  return lax.mul.bind1([s, lax.sqrt.bind1([lax.mul.bind1([lax.log.bind1([u]), jnp.full(shape, -2, { dtype })])])]);
}

/** Michael, Schucany and Haas: a root of the normal's square, picked by a uniform. */
function waldImpl(k: Array, meanParam: Array, shape: number[], dtype: DType): Array {
  const [k1, k2] = subkeys(k, 2);
  const mean = jnp.broadcastTo(convert(meanParam, dtype), shape);
  const v = normalImpl(k1!, shape, dtype);
  const z = uniformImpl(k2!, 0, 1, shape, dtype);
  const sq = (x: Array): Array => lax.integerPow.bind1([x], { y: 2 });
  const y = sq(v);
  const meanSq = sq(mean);
  const sqrtTerm = jnp.sqrt(jnp.add(jnp.multiply(jnp.multiply(4, mean), y), jnp.multiply(meanSq, sq(y))));
  const x = jnp.subtract(jnp.add(mean, jnp.divide(jnp.multiply(meanSq, y), 2)), jnp.multiply(jnp.divide(mean, 2), sqrtTerm));
  return select(jnp.lessEqual(z, jnp.divide(mean, jnp.add(mean, x))), x, jnp.divide(meanSq, x));
}

/** floor(log(u) / log(1 - p)) + 1, with u = 0 read as 1 (JAX keeps its old samples that way). */
function geometricImpl(k: Array, p: Array, shape: number[], dtype: DType): Array {
  const prob = isFloating(p.dtype) ? p : convertTo(p, toInexactDType(p.dtype), p.weakType);
  let u = uniformImpl(k, 0, 1, shape, prob.dtype);
  u = jnp.where(jnp.equal(u, 0), 1, u);
  const logOneMinusP = jnp.broadcastTo(jnp.log1p(jnp.negative(prob)), shape);
  return convert(jnp.add(jnp.floor(jnp.divide(jnp.log(u), logOneMinusP)), 1), dtype);
}

/** Inverse CDF of the triangle on [left, right] with its peak at mode. */
function triangularImpl(k: Array, left: Array, mode: Array, right: Array, shape: number[], dtype: DType): Array {
  const [a, c, b] = [left, mode, right].map((x) => jnp.broadcastTo(convert(x, dtype), shape)) as [Array, Array, Array];
  const fc = jnp.divide(jnp.subtract(c, a), jnp.subtract(b, a));
  const u = uniformImpl(k, 0, 1, shape, dtype);
  const out1 = jnp.add(a, jnp.sqrt(jnp.multiply(jnp.multiply(u, jnp.subtract(b, a)), jnp.subtract(c, a))));
  const out2 = jnp.subtract(b, jnp.sqrt(jnp.multiply(jnp.multiply(jnp.subtract(1, u), jnp.subtract(b, a)), jnp.subtract(b, c))));
  return select(jnp.less(u, fc), out1, out2);
}

const lognormalImpl = (k: Array, sigma: Array, shape: number[], dtype: DType): Array =>
  jnp.exp(jnp.multiply(normalImpl(k, shape, dtype), convert(sigma, dtype)));

// ---- public samplers ----

export interface ParetoOptions extends ShapeDTypeOptions {
  b?: ArrayLike;
}
/** `random.pareto(key, b, shape?, dtype)`: Pareto(b) on [1, inf) as exp(Exp(1) / b). */
export const pareto = paramSampler<ParetoOptions>('pareto', ['b'], paretoImpl);

export interface RayleighOptions extends ShapeDTypeOptions {
  scale?: ArrayLike;
}
/** `random.rayleigh(key, scale, shape?, dtype)`: scale sqrt(-2 log u). */
export const rayleigh = paramSampler<RayleighOptions>('rayleigh', ['scale'], rayleighImpl);

export interface WaldOptions extends ShapeDTypeOptions {
  mean?: ArrayLike;
}
/** `random.wald(key, mean, shape?, dtype)`: inverse Gaussian with the given mean (and shape parameter 1). */
export const wald = paramSampler<WaldOptions>('wald', ['mean'], waldImpl);

export interface TriangularOptions extends ShapeDTypeOptions {
  left?: ArrayLike;
  mode?: ArrayLike;
  right?: ArrayLike;
}
/** `random.triangular(key, left, mode, right, shape?, dtype)`. */
export const triangular = paramSampler<TriangularOptions>('triangular', ['left', 'mode', 'right'], triangularImpl);

export interface LognormalOptions extends ShapeDTypeOptions {
  sigma?: ArrayLike;
}
/** `random.lognormal(key, sigma = float32(1), shape?, dtype)`: exp(sigma N(0, 1)); complex dtypes allowed. */
export const lognormal = paramSampler<LognormalOptions>('lognormal', ['sigma'], lognormalImpl, {
  defaults: { sigma: () => asarray(1, 'float32') }, // JAX's default is a (strongly typed) np.float32(1)
  allowComplex: true,
});

const geometricJit = jit(geometricImpl, { staticArgnums: [2, 3], name: 'geometric' });

export interface GeometricOptions {
  p?: ArrayLike;
  shape?: Shape | null;
  /** An integer dtype (default int32, int64 with x64). */
  dtype?: DType;
}

/** `random.geometric(key, p, shape?, dtype)`: trials until the first success (integers >= 1). */
export function geometric(key: ArrayLike, ...args: SamplerArg<GeometricOptions>[]): Array {
  const o = parseArgs<GeometricOptions>(['p', 'shape', 'dtype'], args);
  const k = checkKey('geometric', key);
  const dtype = o.dtype === undefined ? defaultIntDType() : canonicalizeDType(checkDType(o.dtype, 'geometric'));
  if (!isInteger(dtype)) throw new TypeError(`dtype argument to \`geometric\` must be an int dtype, got ${dtype}`);
  const p = asarray(required('geometric', 'p', o.p));
  return geometricJit(k, p, sampleShape('geometric', o.shape, p), dtype);
}

/** A sampler of `(key, shape = [], dtype)` (maxwell, rademacher). */
function shapeSampler(name: string, impl: (k: Array, shape: number[], dtype: DType) => Array, dtypeOf: (d: DType | undefined) => DType) {
  const compiled = jit(impl, { staticArgnums: [1, 2], name });
  return (key: ArrayLike, ...args: (Shape | DType | ShapeDTypeOptions | undefined)[]): Array => {
    const o = parseArgs<ShapeDTypeOptions>(['shape', 'dtype'], args);
    const k = checkKey(name, key);
    const dtype = dtypeOf(o.dtype);
    return compiled(k, checkShape(name, o.shape ?? []), dtype);
  };
}

/** `random.rademacher(key, shape = [], dtype = int)`: -1 or 1 with equal probability. */
export const rademacher = shapeSampler('rademacher', rademacherImpl, (d) => (d === undefined ? defaultIntDType() : canonicalizeDType(checkDType(d, 'rademacher'))));

/** `random.maxwell(key, shape = [], dtype)`: one-sided Maxwell, the norm of three standard normals. */
export const maxwell = shapeSampler('maxwell', maxwellImpl, (d) => floatDType('maxwell', d));

export interface DoubleSidedMaxwellOptions {
  shape?: Shape;
  dtype?: DType;
}

const doubleSidedMaxwellJit = jit(doubleSidedMaxwellImpl, { staticArgnums: [3, 4], name: 'double_sided_maxwell' });

/**
 * `random.doubleSidedMaxwell(key, loc, scale, shape = [], dtype)`: loc + scale * (random sign) *
 * maxwell; the result's shape is `shape` followed by the broadcast shape of loc and scale (JAX's rule).
 */
export function doubleSidedMaxwell(key: ArrayLike, loc: ArrayLike, scale: ArrayLike, ...args: (Shape | DType | DoubleSidedMaxwellOptions | undefined)[]): Array {
  const o = parseArgs<DoubleSidedMaxwellOptions>(['shape', 'dtype'], args);
  const k = checkKey('double_sided_maxwell', key);
  const dtype = floatDType('double_sided_maxwell', o.dtype);
  return doubleSidedMaxwellJit(k, asarray(loc), asarray(scale), checkShape('double_sided_maxwell', o.shape ?? []), dtype);
}

export type WeibullMinOptions = DoubleSidedMaxwellOptions;

const weibullMinJit = jit(weibullMinImpl, { staticArgnums: [3, 4], name: 'weibull_min' });

/** `random.weibullMin(key, scale, concentration, shape = [], dtype)`: Weibull by its inverse CDF. */
export function weibullMin(key: ArrayLike, scale: ArrayLike, concentration: ArrayLike, ...args: (Shape | DType | WeibullMinOptions | undefined)[]): Array {
  const o = parseArgs<WeibullMinOptions>(['shape', 'dtype'], args);
  const k = checkKey('weibull_min', key);
  const dtype = floatDType('weibull_min', o.dtype);
  return weibullMinJit(k, asarray(scale), asarray(concentration), checkShape('weibull_min', o.shape ?? []), dtype);
}
