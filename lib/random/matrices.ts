// Samplers of vectors and matrices: multivariate normal (Cholesky factor) and Haar orthogonal matrices.
import type { Array, ArrayLike } from '../core/array.js';
import { shapeStr } from '../core/aval.js';
import { isFloating, resultType, toInexactDType, type DType } from '../core/dtypes.js';
import { jit } from '../api/jit.js';
import * as jnp from '../numpy/index.js';
import { asarray } from '../numpy/convert.js';
import { broadcastShapes, checkParamShapes, convert, floatDType, parseArgs } from './common.js';
import { normalImpl } from './continuous.js';
import { checkKey, checkShape } from './keys.js';
import { cholesky, orthonormalColumns } from './linalg.js';

const mvnJit = jit(
  (k: Array, mean: Array, cov: Array, shape: number[], dtype: DType) => {
    const factor = cholesky(cov);
    const samples = normalImpl(k, [...shape, mean.shape[mean.ndim - 1]!], dtype);
    return jnp.add(mean, jnp.einsum('...ij,...j->...i', factor, samples));
  },
  { staticArgnums: [3, 4], name: 'multivariate_normal' },
);

export interface MultivariateNormalOptions {
  shape?: readonly number[] | null;
  dtype?: DType;
  /** Only 'cholesky' (the default) is available: jnp.linalg has no svd or eigh yet. */
  method?: 'cholesky' | 'svd' | 'eigh';
}

/** `random.multivariateNormal(key, mean, cov, shape?, dtype, method = 'cholesky')`: mean + L z with cov = L Lᵀ. */
export function multivariateNormal(key: ArrayLike, mean: ArrayLike, cov: ArrayLike, ...args: (readonly number[] | null | DType | string | MultivariateNormalOptions | undefined)[]): Array {
  const o = parseArgs<MultivariateNormalOptions>(['shape', 'dtype', 'method'], args);
  const k = checkKey('multivariate_normal', key);
  let [m, c] = [asarray(mean), asarray(cov)];
  const inexact = toInexactDType(resultType({ dtype: m.dtype, weakType: m.weakType }, { dtype: c.dtype, weakType: c.weakType }).dtype);
  [m, c] = [convert(m, inexact), convert(c, inexact)];
  const method = o.method ?? 'cholesky';
  if (!['svd', 'eigh', 'cholesky'].includes(method)) throw new TypeError("method must be one of {'svd', 'eigh', 'cholesky'}");
  if (method !== 'cholesky') throw new Error(`multivariate_normal: method '${method}' is not available yet (jnp.linalg has no ${method}); use 'cholesky'`);
  const dtype = o.dtype === undefined ? m.dtype : floatDType('multivariate_normal', o.dtype);
  if (!isFloating(dtype)) throw new TypeError(`dtype argument to \`multivariate_normal\` must be a float dtype, got ${dtype}`);
  if (m.ndim < 1) throw new TypeError(`multivariate_normal requires mean.ndim >= 1, got mean.ndim == ${m.ndim}`);
  if (c.ndim < 2) throw new TypeError(`multivariate_normal requires cov.ndim >= 2, got cov.ndim == ${c.ndim}`);
  const n = m.shape[m.ndim - 1]!;
  if (c.shape[c.ndim - 2] !== n || c.shape[c.ndim - 1] !== n) {
    throw new TypeError(`multivariate_normal requires cov.shape == (..., n, n) for n=${n}, but got cov.shape == ${shapeStr(c.shape)}.`);
  }
  let shape: number[];
  if (o.shape === undefined || o.shape === null) shape = broadcastShapes(m.shape.slice(0, -1), c.shape.slice(0, -2));
  else {
    shape = checkShape('multivariate_normal', o.shape);
    checkParamShapes('normal', shape, m.shape.slice(0, -1), c.shape.slice(0, -2));
  }
  return mvnJit(k, m, c, shape, dtype);
}

const orthogonalJit = jit(
  (k: Array, n: number, m: number, shape: number[], dtype: DType) => {
    const q = orthonormalColumns(normalImpl(k, [...shape, Math.max(n, m), Math.min(n, m)], dtype));
    return n < m ? jnp.swapaxes(q, -1, -2) : q;
  },
  { staticArgnums: [1, 2, 3, 4], name: 'orthogonal' },
);

export interface OrthogonalOptions {
  shape?: readonly number[];
  dtype?: DType;
  /** Columns (default n): a semi-orthogonal n x m matrix. */
  m?: number;
}

/** `random.orthogonal(key, n, shape = [], dtype, m = n)`: Haar-distributed orthogonal matrices `[...shape, n, m]`. */
export function orthogonal(key: ArrayLike, n: number, ...args: (readonly number[] | DType | number | OrthogonalOptions | undefined)[]): Array {
  const o = parseArgs<OrthogonalOptions>(['shape', 'dtype', 'm'], args);
  const k = checkKey('orthogonal', key);
  const dtype = floatDType('normal', o.dtype);
  const m = o.m ?? n;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(m) || m < 0) throw new TypeError(`orthogonal: n and m must be non-negative integers, got ${n} and ${m}`);
  return orthogonalJit(k, n, m, checkShape('orthogonal', o.shape ?? []), dtype);
}
