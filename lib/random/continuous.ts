// Continuous samplers built on uniform floats (jax._src.random.core): uniform, normal,
// truncated normal, exponential, laplace, logistic, gumbel, cauchy. Each `...Impl` works on key
// batches `[...K, 2]`; the public functions check one key, then run a jitted Impl (one compiled
// program per shape and dtype, as JAX's jitted samplers).
import { Array, type ArrayLike } from '../core/array.js';
import { finfo, isComplex, type DType } from '../core/dtypes.js';
import { jit } from '../api/jit.js';
import * as lax from '../lax/index.js';
import * as jnp from '../numpy/index.js';
import { asarray } from '../numpy/convert.js';
import { broadcastShapes, checkParamShapes, convert, floatDType, parseArgs, pick, uintOf } from './common.js';
import { checkKey, checkShape, randomBits, subkeys } from './keys.js';

/** The bits of 1.0: OR-ed into random mantissa bits, it makes a float in [1, 2). */
const ONE_BITS: Partial<Record<DType, number | bigint>> = { float16: 0x3c00, bfloat16: 0x3f80, float32: 0x3f800000, float64: 0x3ff0000000000000n };

/** The largest float of `dtype` below 1 and above -1 (np.nextafter(-1, 0)). */
const aboveMinusOne = (dtype: DType): number => -1 + 2 ** -(finfo(dtype).nmant + 1);

/** Uniform floats in [minval, maxval): random mantissa bits under the exponent of 1, minus 1, scaled. */
export function uniformImpl(keys: Array, minval: ArrayLike, maxval: ArrayLike, shape: readonly number[], dtype: DType): Array {
  const { bits: nbits, nmant } = finfo(dtype);
  const rngBits = nmant < 8 ? 8 : nbits; // bfloat16 draws 8 bits (JAX's choice)
  const uint = uintOf(dtype);
  let b = randomBits(keys, rngBits as 8 | 16 | 32 | 64, shape);
  if (rngBits !== nbits) b = convert(b, uint);
  const c = (v: number | bigint): Array => jnp.full(b.shape, v, { dtype: uint });
  const floatBits = lax.or.bind1([lax.shiftRightLogical.bind1([b, c(rngBits - nmant)]), c(ONE_BITS[dtype]!)]);
  const floats = jnp.subtract(lax.bitcastConvertType.bind1([floatBits], { new_dtype: dtype }), 1);
  const lo = convert(minval, dtype);
  const hi = convert(maxval, dtype);
  return jnp.maximum(lo, jnp.add(jnp.multiply(floats, jnp.subtract(hi, lo)), lo));
}

/** Standard normals: sqrt(2) erfinv(u) for u uniform in (-1, 1); complex: (re + i im) / sqrt(2). */
export function normalImpl(keys: Array, shape: readonly number[], dtype: DType): Array {
  if (isComplex(dtype)) {
    const real = dtype === 'complex64' ? 'float32' : 'float64';
    const [kRe, kIm] = subkeys(keys, 2);
    const re = convert(normalImpl(kRe!, shape, real), dtype);
    const im = convert(normalImpl(kIm!, shape, real), dtype);
    const i = lax.complex.bind1([convert(0, real), convert(1, real)]);
    return jnp.divide(jnp.add(re, jnp.multiply(i, im)), convert(Math.SQRT2, dtype));
  }
  const u = uniformImpl(keys, aboveMinusOne(dtype), 1, shape, dtype);
  return jnp.multiply(convert(Math.SQRT2, dtype), lax.erfInv.bind1([u]));
}

/** -log(1 - u): the log1p form keeps u = 0 finite. */
export const exponentialImpl = (keys: Array, shape: readonly number[], dtype: DType): Array =>
  lax.neg.bind1([lax.log1p.bind1([lax.neg.bind1([uniformImpl(keys, 0, 1, shape, dtype)])])]);

// ---- public samplers ----

interface ShapeDType {
  shape?: number | readonly number[];
  dtype?: DType;
}
export interface UniformOptions extends ShapeDType {
  minval?: ArrayLike;
  maxval?: ArrayLike;
}

const uniformJit = jit(
  (k: Array, minval: Array, maxval: Array, shape: number[], dtype: DType) => {
    checkParamShapes('uniform', shape, minval.shape, maxval.shape);
    return uniformImpl(k, minval, maxval, shape, dtype);
  },
  { staticArgnums: [3, 4], name: 'uniform' },
);

/** `random.uniform(key, shape = [], dtype, minval = 0, maxval = 1)`: floats in [minval, maxval). */
export function uniform(key: ArrayLike, ...args: (number | readonly number[] | DType | ArrayLike | UniformOptions | undefined)[]): Array {
  const o = parseArgs<UniformOptions>(['shape', 'dtype', 'minval', 'maxval'], args);
  const k = checkKey('uniform', key);
  const dtype = floatDType('uniform', o.dtype);
  return uniformJit(k, asarray(o.minval ?? 0), asarray(o.maxval ?? 1), checkShape('uniform', o.shape ?? []), dtype);
}

/** A sampler `f(key, shape, dtype)` with JAX's argument checks, compiled once per shape and dtype. */
function simpleSampler(name: string, impl: (k: Array, shape: number[], dtype: DType) => Array, allowComplex = false) {
  const compiled = jit(impl, { staticArgnums: [1, 2], name });
  return (key: ArrayLike, ...args: (number | readonly number[] | DType | ShapeDType | undefined)[]): Array => {
    const o = parseArgs<ShapeDType>(['shape', 'dtype'], args);
    const k = checkKey(name, key);
    return compiled(k, checkShape(name, o.shape ?? []), floatDType(name, o.dtype, allowComplex));
  };
}

/** `random.normal(key, shape = [], dtype)`: standard normal floats (or complex). */
export const normal = simpleSampler('normal', normalImpl, true);

/** `random.exponential(key, shape = [], dtype)`: Exp(1). */
export const exponential = simpleSampler('exponential', exponentialImpl);

/** `random.laplace(key, shape = [], dtype)`: sign(u) log(1 - |u|) for u uniform in (-1, 1). */
export const laplace = simpleSampler('laplace', (k, shape, dtype) => {
  const u = uniformImpl(k, -1 + 2 ** -(finfo(dtype).nmant + 1), 1, shape, dtype);
  return lax.mul.bind1([lax.sign.bind1([u]), lax.log1p.bind1([lax.neg.bind1([lax.abs.bind1([u])])])]);
});

/** `random.logistic(key, shape = [], dtype)`: log(u) - log(1 - u). */
export const logistic = simpleSampler('logistic', (k, shape, dtype) => {
  const x = uniformImpl(k, finfo(dtype).tiny, 1, shape, dtype);
  return lax.sub.bind1([lax.log.bind1([x]), lax.log1p.bind1([lax.neg.bind1([x])])]);
});

/** `random.cauchy(key, shape = [], dtype)`: tan(pi (u - 1/2)). */
export const cauchy = simpleSampler('cauchy', (k, shape, dtype) => {
  const u = uniformImpl(k, finfo(dtype).eps, 1, shape, dtype);
  return lax.tan.bind1([jnp.multiply(convert(Math.PI, dtype), jnp.subtract(u, convert(0.5, dtype)))]);
});

export interface GumbelOptions extends ShapeDType {
  /** 'low' (default): one uniform per value; 'high': two, for a wider tail. */
  mode?: 'low' | 'high';
}

/** Gumbel(0, 1) as -log(-log(u)); mode 'high' combines two uniforms for more resolution near 1. */
export function gumbelImpl(k: Array, shape: readonly number[], dtype: DType, mode: 'low' | 'high'): Array {
  const info = finfo(dtype);
  if (mode === 'high') {
    const u = uniformImpl(k, 0, 1, [2, ...shape], dtype);
    const axis = k.ndim - 1; // the new leading axis of the sample, after any key batch axes
    const [high, low] = [pick(u, axis, 0), pick(u, axis, 1)];
    const x = jnp.where(jnp.greaterEqual(high, 0.5), high, jnp.add(jnp.add(high, jnp.multiply(2 ** -info.nmant, low)), info.tiny));
    return jnp.negative(jnp.log(jnp.negative(jnp.log1p(jnp.negative(x)))));
  }
  return jnp.negative(jnp.log(jnp.negative(jnp.log(uniformImpl(k, info.tiny, 1, shape, dtype)))));
}

const gumbelJit = jit(gumbelImpl, { staticArgnums: [1, 2, 3], name: 'gumbel' });

/** `random.gumbel(key, shape = [], dtype, mode = 'low')`. */
export function gumbel(key: ArrayLike, ...args: (number | readonly number[] | DType | string | GumbelOptions | undefined)[]): Array {
  const o = parseArgs<GumbelOptions>(['shape', 'dtype', 'mode'], args);
  const k = checkKey('gumbel', key);
  const mode = o.mode ?? 'low';
  if (mode !== 'low' && mode !== 'high') throw new TypeError(`Must provide valid mode for gumbel got: ${String(mode)}`);
  return gumbelJit(k, checkShape('gumbel', o.shape ?? []), floatDType('gumbel', o.dtype), mode);
}

export interface TruncatedNormalOptions extends ShapeDType {
  lower?: ArrayLike;
  upper?: ArrayLike;
}

const truncatedNormalJit = jit(
  (k: Array, lower: Array, upper: Array, shape: number[], dtype: DType) => {
    const sqrt2 = convert(Math.SQRT2, dtype);
    const lo = convert(lower, dtype);
    const hi = convert(upper, dtype);
    const a = lax.erf.bind1([jnp.divide(lo, sqrt2)]);
    const b = lax.erf.bind1([jnp.divide(hi, sqrt2)]);
    const out = jnp.multiply(sqrt2, lax.erfInv.bind1([uniformImpl(k, a, b, shape, dtype)]));
    // keep rounding (or u = a) from landing on the bounds: clip to the open interval
    const next = (x: Array, toward: number): Array => {
      const s = lax.stopGradient(x);
      return lax.nextafter.bind1([s, jnp.full(s.shape, toward, { dtype })]);
    };
    return jnp.clip(out, next(lo, Infinity), next(hi, -Infinity));
  },
  { staticArgnums: [3, 4], name: 'truncated_normal' },
);

/** `random.truncatedNormal(key, lower, upper, shape?, dtype)`: normals conditioned on (lower, upper). */
export function truncatedNormal(key: ArrayLike, ...args: (ArrayLike | number | readonly number[] | DType | TruncatedNormalOptions | undefined)[]): Array {
  const o = parseArgs<TruncatedNormalOptions>(['lower', 'upper', 'shape', 'dtype'], args);
  const k = checkKey('truncated_normal', key);
  const dtype = floatDType('truncated_normal', o.dtype);
  if (o.lower === undefined || o.upper === undefined) throw new TypeError("truncated_normal() missing required arguments 'lower' and 'upper'");
  const lower = asarray(o.lower);
  const upper = asarray(o.upper);
  let shape: number[];
  if (o.shape === undefined) shape = broadcastShapes(lower.shape, upper.shape);
  else {
    shape = checkShape('truncated_normal', o.shape);
    checkParamShapes('truncated_normal', shape, lower.shape, upper.shape);
  }
  return truncatedNormalJit(k, lower, upper, shape, dtype);
}
